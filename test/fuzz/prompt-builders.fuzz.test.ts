import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/core/schema/schema';
import { type ShareItem, stage1Sql } from '../../src/core/share/item';
import { dotted, mentionedColumns } from '../../src/core/share/mentioned';
import {
  augmentedSchema,
  fillPrompt,
  maskPrompt,
  modifyPrompt,
  sql2srPrompt,
  sr2sqlPrompt,
} from '../../src/core/share/prompt-builders';
import { splitPyList } from '../../src/core/share/python-literal';
import { FUZZ_SEED, hostileString, withinTime } from './arbitraries';
import { decodePyLiteral } from './py-literal-decoder';

// Generous for a loaded 2-core machine; the adversarial inputs below catch superlinear work.
const TIME_MS = 1_000;
const params = { seed: FUZZ_SEED, numRuns: 300 };

const name = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('singer', 'Name', 'Age', 'id', 'my table', 'unit price'),
  },
  { weight: 2, arbitrary: hostileString(12).filter((s) => s.length > 0) },
);

const schema: fc.Arbitrary<Schema> = fc
  .array(
    fc.record({
      name,
      columns: fc
        .uniqueArray(name, { maxLength: 6 })
        .map((names) => names.map((n) => ({ name: n, type: 'text' }))),
    }),
    { maxLength: 5 },
  )
  .chain((tables) => {
    const uniq = [...new Map(tables.map((t) => [t.name, t])).values()].map((t) => ({
      ...t,
      primaryKey: [],
    }));
    const columnsOf = uniq.flatMap((t) => t.columns.map((c) => [t.name, c.name] as const));
    const fk =
      columnsOf.length === 0
        ? fc.constant([])
        : fc.array(
            fc
              .tuple(fc.constantFrom(...columnsOf), fc.constantFrom(...columnsOf))
              .map(([a, b]) => ({
                fromTable: a[0],
                fromColumn: a[1],
                toTable: b[0],
                toColumn: b[1],
              })),
            { maxLength: 4 },
          );
    return fk.map(
      (foreignKeys): Schema => ({ dbId: 'fuzz', tables: uniq, foreignKeys: [...foreignKeys] }),
    );
  });

const text = fc.oneof(
  hostileString(80),
  fc.constantFrom('', '{question}', '{sr} {schema}', 'SELECT Name FROM singer'),
);

const item: fc.Arbitrary<ShareItem> = fc.record({
  idx: fc.nat(),
  dbId: fc.constant('fuzz'),
  question: text,
  evidence: text,
  initialSql: fc.oneof(
    text,
    schema.map(() => 'SELECT "my table"."unit price" FROM "my table"'),
  ),
});

describe('prompt builders (fuzz)', () => {
  it('build every stage prompt for any schema and item, quickly, never throwing', () => {
    fc.assert(
      fc.property(schema, item, text, text, (s, it, sr, response) => {
        withinTime(TIME_MS, () => {
          const meanings = new Map(
            s.tables.flatMap((t) =>
              t.columns.map((c) => [`fuzz|${t.name}|${c.name}`, `#${sr}`] as const),
            ),
          );
          sql2srPrompt(it, s);
          maskPrompt(sr);
          const fill = fillPrompt(it, s, sr);
          const aug = augmentedSchema(it, s, response);
          modifyPrompt(it, aug, meanings, sr);
          const gen = sr2sqlPrompt(it, s, aug, meanings, sr);
          // Values are pasted once, literally, never re-substituted.
          expect(fill).toContain(`question = "${it.question}"`);
          expect(gen).toContain(`\`\`\`SR\n${sr}\n\`\`\``);
        });
      }),
      params,
    );
  });

  it("stage 1's schema line decodes back to the mentioned columns", () => {
    fc.assert(
      fc.property(schema, item, (s, it) => {
        const prompt = sql2srPrompt(it, s);
        const line = prompt.split('\n').find((l) => l.startsWith('schema = '));
        expect(line).toBeDefined();
        const listText = line!.slice('schema = '.length);
        const items = splitPyList(listText);
        expect(items).toBeDefined();
        expect(items!.map((i) => decodePyLiteral(i))).toEqual(
          dotted(mentionedColumns(s, stage1Sql(it.initialSql))),
        );
      }),
      params,
    );
  });

  it('the augmented schema only holds columns of the schema', () => {
    fc.assert(
      fc.property(schema, item, text, (s, it, response) => {
        const known = new Set(
          s.tables.flatMap((t) => t.columns.map((c) => `${t.name}\u0000${c.name}`)),
        );
        for (const [t, c] of augmentedSchema(it, s, response))
          expect(known.has(`${t}\u0000${c}`)).toBe(true);
      }),
      params,
    );
  });
});
