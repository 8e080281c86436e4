import type { Database, SqlJsStatic } from 'sql.js';
import { seededRandom } from '../random';
import { schemaForDb, type TablesJsonEntry } from '../schema/from-tables-json';
import type { SqlQuery } from '../sql/ast';
import { parseSql } from '../sql/parse';
import { walkQuery } from '../sql/walk';
import {
  judgeRoundtrip,
  type RoundtripOptions,
  type RoundtripOutcome,
  type RunResult,
  translateRoundtrip,
} from './roundtrip';

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
  /**
   * Names (lower case) of columns the queries read as dates (`strftime('%Y', c)`): they hold
   * ISO dates whatever their declared type, as dates in SQLite files mostly are.
   */
  dateColumns?: string[];
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

const DATE_FUNCTIONS = new Set(['strftime', 'date', 'datetime', 'julianday', 'unixepoch', 'time']);

/** Names (lower case) of the columns SQL queries pass to SQLite's date functions. */
export function dateColumnsOf(sqls: string[]): string[] {
  const names = new Set<string>();
  for (const sql of sqls) {
    let query: SqlQuery;
    try {
      query = parseSql(sql);
    } catch {
      continue;
    }
    walkQuery(query, (e) => {
      if (e.k !== 'function' || !DATE_FUNCTIONS.has(e.name.toLowerCase())) return;
      for (const arg of e.args) {
        let a = arg;
        while (a.k === 'nested' || a.k === 'cast') a = a.expr;
        if (a.k === 'column') names.add(a.name.toLowerCase());
      }
    });
  }
  return [...names];
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
  const dateColumns = new Set(options.dateColumns ?? []);
  // Years the queries ask about (`'2010'`, `2016`, `'2017-03-01'`), so that their filters find dates.
  const years = [
    ...literals.numbers.filter((n) => Number.isInteger(n) && n >= 1900 && n < 2100),
    ...literals.strings.flatMap((v) => /^((?:19|20)\d\d)(?:$|-)/.exec(v)?.[1] ?? []).map(Number),
  ];
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
          const typed = c.type === 'time' || c.type === 'date' || c.type === 'datetime';
          if (typed || dateColumns.has(c.name.toLowerCase())) {
            // (Columns read as dates but declared otherwise take the years asked about.)
            const year =
              !typed && years.length && random() < 0.5
                ? pick(years)
                : 1990 + Math.floor(random() * 30);
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

/** One query of `syntheticRoundtrip`. */
export interface SyntheticItem {
  dbId: string;
  /** The query whose result is the reference. */
  sql: string;
  /** The trajectory compiled instead of the query's own (a model's, from a recorded run). */
  sr?: string;
  /**
   * SQL already written from a trajectory (by the fast preset's stage 5, say), compared with
   * `sql` instead of compiling anything; or why there is none.
   */
  candidate?: { sql: string } | { problem: string };
}

/** Runs queries on one made-up database. */
export interface SyntheticRunner {
  open(db: Database): Promise<{
    run(sql: string): Promise<RunResult>;
    close(): Promise<void>;
  }>;
}

/**
 * Runs the queries in this thread, on the database itself: fast, but sql.js cannot stop a
 * query, so one that never ends (a recursive CTE over made-up rows that form a cycle) hangs
 * the caller. Node's scripts use a worker with a time limit instead.
 */
export const inThisThread: SyntheticRunner = {
  async open(db) {
    return {
      async run(sql) {
        try {
          return { rows: db.exec(sql)[0]?.values ?? [] };
        } catch (error) {
          return { error: (error as Error).message };
        }
      },
      async close() {},
    };
  },
};

/**
 * SQL → SR → SQL for gold queries whose databases are not at hand: each database is made up
 * (`syntheticDatabase`, seeded with its queries' literals), gold and round-tripped SQL run on
 * it and are compared as `roundtrip` does. An item's `sr`, when given, is the trajectory
 * compiled instead of the query's own; its `candidate`, the SQL compared instead of any
 * compiled. Requires `initSqlParser()` to have finished.
 */
export async function syntheticRoundtrip(
  SQL: SqlJsStatic,
  items: readonly SyntheticItem[],
  tables: TablesJsonEntry[],
  options: SyntheticOptions & RoundtripOptions & { runner?: SyntheticRunner } = {},
  onMiss?: (dbId: string, sql: string, outcome: RoundtripOutcome) => void,
): Promise<SyntheticRoundtripReport> {
  const report = {
    total: 0,
    compiled: 0,
    executionMatch: 0,
    goldRuns: 0,
    goldWithRows: 0,
    executionMatchWithRows: 0,
  };
  const byDb = new Map<string, SyntheticItem[]>();
  for (const item of items) byDb.set(item.dbId, [...(byDb.get(item.dbId) ?? []), item]);
  for (const [dbId, dbItems] of byDb) {
    const entry = tables.find((t) => t.db_id === dbId);
    if (!entry) continue;
    const sqls = dbItems.map((i) => i.sql);
    const literals = literalsOf(sqls);
    const dateColumns = dateColumnsOf(sqls);
    const db = syntheticDatabase(SQL, entry, { ...options, literals, dateColumns });
    const schema = schemaForDb(tables, dbId);
    const runner = await (options.runner ?? inThisThread).open(db);
    try {
      for (const { sql, sr, candidate } of dbItems) {
        report.total++;
        const expected = await runner.run(sql);
        const withRows = 'rows' in expected && expected.rows.length > 0;
        if ('rows' in expected) report.goldRuns++;
        if (withRows) report.goldWithRows++;
        const t = candidate
          ? given(sql, sr, candidate)
          : translateRoundtrip(sql, schema, { keepJoins: options.keepJoins, sr });
        const outcome =
          'compiled' in t
            ? t
            : judgeRoundtrip(
                t,
                expected,
                'error' in expected ? undefined : await runner.run(t.sql),
              );
        if (outcome.compiled) report.compiled++;
        if (outcome.match) {
          report.executionMatch++;
          if (withRows) report.executionMatchWithRows++;
        } else onMiss?.(dbId, sql, outcome);
      }
    } finally {
      await runner.close();
      db.close();
    }
  }
  return report;
}

/**
 * A candidate SQL to judge against `sql`, with `sql` parsed to know whether its result is
 * ordered (one the parser does not read, `WITH RECURSIVE` say, is compared as a multiset).
 */
function given(
  sql: string,
  sr: string | undefined,
  candidate: { sql: string } | { problem: string },
): Parameters<typeof judgeRoundtrip>[0] | RoundtripOutcome {
  if ('problem' in candidate)
    return { sr, compiled: false, match: false, problem: candidate.problem };
  let query: SqlQuery | undefined;
  try {
    query = parseSql(sql);
  } catch {
    query = undefined;
  }
  return { query, sr: sr ?? '', sql: candidate.sql };
}
