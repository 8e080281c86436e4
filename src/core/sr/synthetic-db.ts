import type { Database, SqlJsStatic } from 'sql.js';
import { seededRandom } from '../random';
import { schemaForDb, type TablesJsonEntry } from '../schema/from-tables-json';
import { type RoundtripOptions, type RoundtripOutcome, roundtrip } from './roundtrip';

/** How to fill a synthetic database. */
export interface SyntheticOptions {
  /** Rows per table. */
  rows?: number;
  /** Seed of the pseudo-random choices: the same seed gives the same database. */
  seed?: number;
  /** Values the queries compare with (strings and numbers), so that filters select rows. */
  literals?: { strings: string[]; numbers: number[] };
  /** Share of NULLs in columns that are neither keys nor references. */
  nulls?: number;
}

/** String and number literals of SQL queries (to seed a synthetic database's values). */
export function literalsOf(sqls: string[]): { strings: string[]; numbers: number[] } {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const sql of sqls) {
    for (const m of sql.matchAll(/'((?:[^']|'')*)'/g)) strings.add(m[1]!.replaceAll("''", "'"));
    const code = sql.replace(/'(?:[^']|'')*'|"[^"]*"|`[^`]*`|\[[^\]]*\]/g, ' ');
    for (const m of code.matchAll(/(?<![\w.])\d+(?:\.\d+)?(?![\w.])/g)) numbers.add(Number(m[0]));
  }
  return { strings: [...strings], numbers: [...numbers] };
}

/**
 * A SQLite database with the schema of a `tables.json` entry and made-up rows: unique
 * primary keys, references that point at existing rows (tables are filled referenced-first),
 * and other values drawn mostly from the literals the queries use, so that filters, joins
 * and groups have something to find. For checking that two queries agree, not for realism.
 */
export function syntheticDatabase(
  SQL: SqlJsStatic,
  entry: TablesJsonEntry,
  options: SyntheticOptions = {},
): Database {
  const rows = options.rows ?? 40;
  const nulls = options.nulls ?? 0.1;
  const literals = options.literals ?? { strings: [], numbers: [] };
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

  const columns = entry.column_names_original.slice(1).map(([table, name], i) => ({
    index: i + 1,
    table,
    name,
    type: (entry.column_types?.[i + 1] ?? 'text').toLowerCase(),
  }));
  const primary = new Set(
    (entry.primary_keys ?? []).flatMap((k) => (Array.isArray(k) ? k : [k])).filter((k) => k > 0),
  );
  const references = new Map<number, number>();
  for (const [from, to] of entry.foreign_keys ?? []) if (from !== to) references.set(from, to);

  // Referenced tables first (a cycle is broken where it closes).
  const order: number[] = [];
  const visiting = new Set<number>();
  const visit = (t: number) => {
    if (order.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const c of columns) {
      const to = references.get(c.index);
      if (c.table === t && to !== undefined) visit(columns[to - 1]!.table);
    }
    order.push(t);
  };
  for (let t = 0; t < entry.table_names_original.length; t++) visit(t);

  const db = new SQL.Database();
  const values = new Map<number, unknown[]>();
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const sqlType = (type: string) =>
    type === 'number' || type === 'real' ? 'REAL' : type === 'integer' ? 'INTEGER' : 'TEXT';
  const numeric = (type: string) => ['number', 'integer', 'real'].includes(type);
  const texts = literals.strings.length ? literals.strings : ['a', 'b', 'c'];

  for (const t of order) {
    const own = columns.filter((c) => c.table === t);
    if (!own.length) continue;
    const name = entry.table_names_original[t]!;
    if (/^sqlite_/i.test(name)) continue; // SQLite's own tables (sqlite_sequence) cannot be created.
    db.run(
      `CREATE TABLE ${quote(name)} (${own.map((c) => `${quote(c.name)} ${sqlType(c.type)}`).join(', ')})`,
    );
    const singleKey = own.filter((c) => primary.has(c.index)).length === 1;
    const table: unknown[][] = [];
    for (let r = 0; r < rows; r++) {
      table.push(
        own.map((c) => {
          const to = references.get(c.index);
          const target = to === undefined ? undefined : values.get(to);
          if (target?.length) return pick(target);
          if (primary.has(c.index) && singleKey) {
            if (numeric(c.type)) return r + 1;
            return r < literals.strings.length ? literals.strings[r] : `k${r}`;
          }
          if (random() < nulls) return null;
          if (numeric(c.type))
            return literals.numbers.length && random() < 0.5
              ? pick(literals.numbers)
              : Math.floor(random() * 30);
          if (c.type === 'time' || c.type === 'date' || c.type === 'datetime') {
            const year = 1990 + Math.floor(random() * 30);
            const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
            const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
            return `${year}-${month}-${day}`;
          }
          return random() < 0.7 ? pick(texts) : pick(['x', 'y', '1', '0', '+', '-']);
        }),
      );
    }
    const insert = db.prepare(
      `INSERT INTO ${quote(name)} VALUES (${own.map(() => '?').join(', ')})`,
    );
    for (const row of table) insert.run(row as (string | number | null)[]);
    insert.free();
    own.forEach((c, i) => {
      values.set(
        c.index,
        table.map((row) => row[i]).filter((v) => v !== null),
      );
    });
  }
  return db;
}

/** What `syntheticRoundtrip` reports. */
export interface SyntheticRoundtripReport {
  total: number;
  compiled: number;
  executionMatch: number;
  /** Queries that run on the made-up database at all (a recorded model's SQL may not). */
  goldRuns: number;
  /** Queries whose gold result on the made-up rows is not empty, and how many of those match. */
  goldWithRows: number;
  executionMatchWithRows: number;
}

/**
 * SQL → SR → SQL for gold queries whose databases are not at hand: each database is made up
 * (`syntheticDatabase`, seeded with its queries' literals), gold and round-tripped SQL run on
 * it and are compared as `roundtrip` does. An item's `sr`, when given, is the trajectory
 * compiled instead of the query's own. Requires `initSqlParser()` to have finished.
 */
export function syntheticRoundtrip(
  SQL: SqlJsStatic,
  items: readonly { dbId: string; sql: string; sr?: string }[],
  tables: TablesJsonEntry[],
  options: SyntheticOptions & RoundtripOptions = {},
  onMiss?: (dbId: string, sql: string, outcome: RoundtripOutcome) => void,
): SyntheticRoundtripReport {
  const report = {
    total: 0,
    compiled: 0,
    executionMatch: 0,
    goldRuns: 0,
    goldWithRows: 0,
    executionMatchWithRows: 0,
  };
  const byDb = new Map<string, { sql: string; sr?: string }[]>();
  for (const item of items) byDb.set(item.dbId, [...(byDb.get(item.dbId) ?? []), item]);
  for (const [dbId, dbItems] of byDb) {
    const sqls = dbItems.map((i) => i.sql);
    const entry = tables.find((t) => t.db_id === dbId);
    if (!entry) continue;
    const db = syntheticDatabase(SQL, entry, { ...options, literals: literalsOf(sqls) });
    const schema = schemaForDb(tables, dbId);
    const run = (sql: string) => db.exec(sql)[0]?.values ?? [];
    try {
      for (const { sql, sr } of dbItems) {
        report.total++;
        let withRows = false;
        try {
          withRows = run(sql).length > 0;
          report.goldRuns++;
        } catch {
          // roundtrip reports a failing gold query.
        }
        if (withRows) report.goldWithRows++;
        const outcome = roundtrip(sql, schema, run, { keepJoins: options.keepJoins, sr });
        if (outcome.compiled) report.compiled++;
        if (outcome.match) {
          report.executionMatch++;
          if (withRows) report.executionMatchWithRows++;
        } else onMiss?.(dbId, sql, outcome);
      }
    } finally {
      db.close();
    }
  }
  return report;
}
