import { describe, expect, it } from 'vitest';
import { schemaFromTablesJson } from '../schema/from-tables-json';
import type { ShareItem } from './item';
import {
  augmentedSchema,
  columnDescriptions,
  fillPrompt,
  fillTemplate,
  foreignKeyDict,
  fullSchemaText,
  modifyPrompt,
  sql2srPrompt,
  sr2sqlPrompt,
} from './prompt-builders';

// A BIRD-style database: names with spaces and quotes, a repeated foreign-key source.
// Expected texts below were produced by the reference's Python formatting of the same input.
const schema = schemaFromTablesJson({
  db_id: 'd',
  table_names_original: ['Sales Person', 'orders'],
  column_names_original: [
    [-1, '*'],
    [0, 'id'],
    [0, 'Full Name'],
    [1, 'order id'],
    [1, 'person_id'],
    [1, "it's"],
  ],
  primary_keys: [1, 3],
  foreign_keys: [
    [4, 1],
    [4, 2],
  ],
});
const meanings = new Map([
  ['d|Sales Person|Full Name', '#The name.'],
  ['d|orders|order id', ''],
  ['d|orders|person_id', 'who'],
]);
const item: ShareItem = {
  idx: 7,
  dbId: 'd',
  question: 'Who sold "it"?',
  evidence: '',
  initialSql:
    'SELECT `Full Name`\nFROM `Sales Person` JOIN orders ON person_id = id\t----- bird -----\td',
};

describe('stage 1 prompt', () => {
  it('cuts the SQL at the first tab, flattens newlines, and lists bare names', () => {
    const prompt = sql2srPrompt(item, schema);
    expect(prompt).toContain(
      'sql = "SELECT `Full Name` FROM `Sales Person` JOIN orders ON person_id = id"\n',
    );
    expect(prompt).toContain(
      "schema = ['Sales Person.id', 'Sales Person.Full Name', 'orders.person_id']\n",
    );
  });
});

describe('stage 3 prompt', () => {
  it('backticks names with spaces in the lists but not in the headers', () => {
    expect(fullSchemaText(schema)).toBe(
      "### Table: Sales Person\n['`Sales Person`.id', '`Sales Person`.`Full Name`']\n\n### Table: orders\n['orders.`order id`', 'orders.person_id', \"orders.it's\"]",
    );
  });

  it('highlights the columns of the raw SQL as a nested list, and keeps quotes raw', () => {
    const prompt = fillPrompt(item, schema, 'df1 = df.select([MASK])');
    expect(prompt).toContain(
      "highlighted_schema = [['Sales Person', 'id'], ['Sales Person', 'Full Name'], ['orders', 'person_id']]\n",
    );
    expect(prompt).toContain(
      'question = "Who sold "it"?"\nevidence = ""\n```Masked SR\ndf1 = df.select([MASK])\n```',
    );
  });
});

describe('augmented schema and stages 4-5', () => {
  const aug = augmentedSchema(
    item,
    schema,
    "```SR\ndf.select(orders.`order id`, orders.it's)\n```",
  );

  it('unions the columns of the raw SQL and the raw SAM response, in schema order', () => {
    expect(aug.map(([t, c]) => `${t}.${c}`)).toEqual([
      'Sales Person.id',
      'Sales Person.Full Name',
      'orders.order id',
      'orders.person_id',
      "orders.it's",
    ]);
  });

  it('writes description lines with backticks, drops one "#", skips empty and missing', () => {
    expect(
      columnDescriptions(
        'd',
        [
          ['Sales Person', 'Full Name'],
          ['orders', 'order id'],
          ['orders', 'person_id'],
          ['orders', "it's"],
        ],
        meanings,
      ),
    ).toBe('# `Sales Person`.`Full Name`: The name.\n# orders.person_id: who\n');
  });

  it('keeps the last target of a repeated foreign-key source', () => {
    expect(foreignKeyDict(schema)).toEqual({ 'orders.person_id': 'Sales Person.Full Name' });
  });

  it('stage 4 lists names without backticks; stage 5 backticks names with spaces', () => {
    const lom = modifyPrompt(item, aug, meanings, 'res = df.select(x)');
    expect(lom).toContain(
      "schema = ['Sales Person.id', 'Sales Person.Full Name', 'orders.order id', 'orders.person_id', \"orders.it's\"]\n",
    );
    const gen = sr2sqlPrompt(item, schema, aug, meanings, 'res = df.select(x)');
    expect(gen).toContain(
      "schema = ['`Sales Person`.id', '`Sales Person`.`Full Name`', 'orders.`order id`', 'orders.person_id', \"orders.it's\"]\nforeign_keys = {'orders.person_id': 'Sales Person.Full Name'}\n```column description\n# `Sales Person`.`Full Name`: The name.\n# orders.person_id: who\n\n```",
    );
    expect(gen).not.toContain('{schema}');
  });
});

describe('fillTemplate', () => {
  it('substitutes once: placeholders inside values stay as they are', () => {
    expect(fillTemplate('{a} {b}', { a: '{b}', b: 'x' })).toBe('{b} x');
  });
});
