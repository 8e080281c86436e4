import { expect } from 'vitest';
import { schemaFromSqlite } from '../../src/core/schema/from-sqlite';
import type { StageName } from '../../src/core/share/stages';
import {
  type HostileCase,
  itemFor,
  loadSqlJs,
  MODELS,
  outcome,
  runCorrection,
  ScriptedEngine,
} from './harness';

interface DataSpec {
  name: string;
  /** Statements creating the database (made here, nothing copied). */
  ddl: string;
  /** Table names as the schema loader must report them, in order. */
  tables: string[];
  /** The SQL to correct (it mentions the odd names). */
  sql: string;
  question?: string;
  /** `table.column` the SR answers mention (so the augmented schema picks them up). */
  srMentions: string;
  /** Text each stage's prompt must contain, per the SHARE protocol's quoting rules. */
  prompts: Partial<Record<StageName, string[]>>;
  /** Extra checks on the database itself. */
  check?: (rows: unknown[][]) => void;
  query?: string;
}

const SPECS: DataSpec[] = [
  {
    name: 'table and column names with spaces',
    ddl: 'CREATE TABLE "order items" ("unit price" REAL, qty INTEGER); INSERT INTO "order items" VALUES (2.5, 3);',
    tables: ['order items'],
    sql: 'SELECT "unit price" FROM "order items"',
    srMentions: 'order items.unit price',
    prompts: {
      bam: ["schema = ['order items.unit price']"],
      sam: ["### Table: order items\n['`order items`.`unit price`', '`order items`.qty']"],
      lom: ["schema = ['order items.unit price']"],
      generator: ["schema = ['`order items`.`unit price`']"],
    },
  },
  {
    name: 'a single quote in names (repr switches to double quotes)',
    ddl: `CREATE TABLE "it's" ("o'clock" TEXT); INSERT INTO "it's" VALUES ('5');`,
    tables: ["it's"],
    sql: `SELECT "o'clock" FROM "it's"`,
    srMentions: "it's.o'clock",
    prompts: { bam: [`schema = ["it's.o'clock"]`], generator: [`schema = ["it's.o'clock"]`] },
  },
  {
    name: 'a double quote in names',
    ddl: 'CREATE TABLE "say ""hi""" (a TEXT);',
    tables: ['say "hi"'],
    sql: 'SELECT a FROM "say ""hi"""',
    srMentions: 'say "hi".a',
    prompts: { sam: [`### Table: say "hi"\n['\`say "hi"\`.a']`] },
  },
  {
    name: 'both quote kinds in one name (escaped single quote)',
    ddl: `CREATE TABLE "both'""" (v TEXT);`,
    tables: [`both'"`],
    sql: `SELECT v FROM "both'"""`,
    srMentions: `both'".v`,
    prompts: { bam: [`schema = ['both\\'".v']`] },
  },
  {
    name: 'dots inside names',
    ddl: 'CREATE TABLE "a.b" ("x.y" INTEGER); INSERT INTO "a.b" VALUES (1);',
    tables: ['a.b'],
    sql: 'SELECT "x.y" FROM "a.b"',
    srMentions: 'a.b.x.y',
    prompts: { bam: ["schema = ['a.b.x.y']"] },
  },
  {
    name: 'unicode names (accents, CJK, emoji) kept as Python prints them',
    ddl: 'CREATE TABLE "Café ☕" ("größe" INTEGER, "名前" TEXT, "🙂" TEXT);',
    tables: ['Café ☕'],
    sql: 'SELECT "größe", "名前", "🙂" FROM "Café ☕"',
    srMentions: 'Café ☕.größe',
    prompts: {
      bam: ["schema = ['Café ☕.größe', 'Café ☕.名前', 'Café ☕.🙂']"],
      sam: ["['`Café ☕`.größe', '`Café ☕`.名前', '`Café ☕`.🙂']"],
    },
  },
  {
    name: 'SQL keywords as names',
    ddl: 'CREATE TABLE "select" ("from" TEXT, "where" TEXT, "order" INTEGER); CREATE TABLE "group" ("by" TEXT);',
    tables: ['select', 'group'],
    sql: 'SELECT "from", "order" FROM "select"',
    srMentions: 'select.from',
    prompts: { bam: ["schema = ['select.from', 'select.order']"] },
  },
  {
    name: 'backticks and brackets inside names',
    ddl: 'CREATE TABLE "`tick`" ("[col]" TEXT);',
    tables: ['`tick`'],
    sql: 'SELECT "[col]" FROM "`tick`"',
    srMentions: '`tick`.[col]',
    // Stage 4 removes backticks (a quirk of the reference, kept).
    prompts: { bam: ["schema = ['`tick`.[col]']"], lom: ["schema = ['tick.[col]']"] },
  },
  {
    name: 'control characters in a column name are escaped in lists',
    ddl: 'CREATE TABLE t ("line\nbreak" TEXT, "tab\there" TEXT);',
    tables: ['t'],
    sql: 'SELECT "line\nbreak", "tab\there" FROM t',
    srMentions: 't.line',
    // Stage 1 cuts the SQL at its first tab and turns newlines into spaces (reference rule).
    prompts: {
      bam: ['sql = "SELECT "line break", "tab"'],
      sam: [
        "['t.line\\nbreak', 't.tab\\there']",
        "highlighted_schema = [['t', 'line\\nbreak'], ['t', 'tab\\there']]",
      ],
    },
  },
  {
    name: 'template placeholders in names are not substituted',
    ddl: 'CREATE TABLE "{question}" ("{sr}" TEXT);',
    tables: ['{question}'],
    sql: 'SELECT "{sr}" FROM "{question}"',
    question: 'Which ones?',
    srMentions: '{question}.{sr}',
    prompts: {
      sam: ["### Table: {question}\n['{question}.{sr}']", 'question = "Which ones?"'],
    },
  },
  {
    name: '<script> and markup in cells and questions stay text',
    ddl: `CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('<script>alert(1)</script>'), ('<img src=x onerror=alert(2)>'), ('&lt;b&gt;');`,
    tables: ['notes'],
    sql: 'SELECT body FROM notes',
    question: 'Which note says <script>alert("x")</script>?',
    srMentions: 'notes.body',
    prompts: { sam: ['question = "Which note says <script>alert("x")</script>?"'] },
    query: 'SELECT body FROM notes ORDER BY rowid',
    check: (rows) =>
      expect(rows.map((r) => r[0])).toEqual([
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(2)>',
        '&lt;b&gt;',
      ]),
  },
  {
    name: 'a 500-column table with 1,000-character names',
    ddl: `CREATE TABLE wide (${Array.from({ length: 500 }, (_, i) => `"${'c'.repeat(990)}${String(i).padStart(4, '0')}" INTEGER`).join(', ')});`,
    tables: ['wide'],
    sql: `SELECT "${'c'.repeat(990)}0007" FROM wide`,
    srMentions: `wide.${'c'.repeat(990)}0007`,
    // Every column's name contains the mentioned prefix, so substring matching (a quirk
    // of the reference) mentions only the one whose full name occurs: c…0007.
    prompts: { bam: [`schema = ['wide.${'c'.repeat(990)}0007']`] },
  },
];

/** The data cases: odd names and markup through schema loading, prompts and the pipeline. */
export async function dataCases(): Promise<HostileCase[]> {
  const SQL = await loadSqlJs();
  return SPECS.map((spec) => ({
    category: 'data',
    name: spec.name,
    expected: 'schema loads, prompts follow the quoting rules, the correction completes',
    async run() {
      const db = new SQL.Database();
      try {
        db.exec(spec.ddl);
        const schema = schemaFromSqlite(db, 'odd');
        expect(schema.tables.map((t) => t.name)).toEqual(spec.tables);
        if (spec.query) spec.check?.(db.exec(spec.query)[0]?.values ?? []);
        const sr = '```SR\ndf1 = df.select(' + spec.srMentions + ')\n```';
        const engine = new ScriptedEngine((_req, stage) =>
          stage === 'generator' ? '```sqlite\n' + spec.sql + '\n```' : sr,
        );
        const started = performance.now();
        const events = await runCorrection(itemFor(schema, spec.sql, spec.question), {
          engine,
          schema,
          models: MODELS,
        });
        expect(performance.now() - started, 'the correction took too long').toBeLessThan(5_000);
        const end = outcome(events);
        expect(end.type, end.type === 'error' ? end.message : '').toBe('result');
        if (end.type !== 'result') return;
        expect(end.result.finalSql).toBe(spec.sql);
        for (const [stage, needles] of Object.entries(spec.prompts)) {
          const record = end.result.stages.find((s) => s.stage === stage);
          for (const needle of needles ?? [])
            expect(record?.prompt, `${stage} prompt`).toContain(needle);
        }
      } finally {
        db.close();
      }
    },
  }));
}
