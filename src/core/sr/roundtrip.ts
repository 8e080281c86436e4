import type { Schema } from '../schema/schema';
import { analyzeSql } from '../sql/analyze';
import type { SqlQuery } from '../sql/ast';
import { parseSql } from '../sql/parse';
import { sqlToSr } from './from-sql';
import { joinsOfSql, srToSql } from './to-sql';

/** A result table: rows of SQLite values. */
export type Rows = readonly (readonly unknown[])[];

/** Runs one query on a database; throws on SQLite errors. */
export type RunQuery = (sql: string) => Rows;

/** What happened to one query on its way SQL → SR → SQL. */
export interface RoundtripOutcome {
  sr?: string;
  sql?: string;
  /** The SR compiled back to SQL. */
  compiled: boolean;
  /** Both queries ran and returned the same result. */
  match: boolean;
  /** Why it did not compile or match, for people. */
  problem?: string;
}

export interface RoundtripOptions {
  /**
   * Compile with what the query says about its joins (`joinsOfSql`: its keys, the table it
   * reads first, the tables it joins only for their effect on rows), as the fast preset
   * compiles a corrected trajectory with those of the SQL it corrects. Without it (the
   * default) the joins come from the trajectory and the schema's foreign keys alone.
   */
  keepJoins?: boolean;
  /**
   * The trajectory to compile instead of the query's own (`sqlToSr`): e.g. the one a model
   * wrote for the query in a recorded run, to measure how it reads back.
   */
  sr?: string;
}

/** A query on its way back: parsed, its SR, and that SR compiled to SQL. */
export interface RoundtripTranslation {
  query: SqlQuery;
  sr: string;
  sql: string;
}

/** What running one query gave: its rows, or why there are none. */
export type RunResult = { rows: Rows } | { error: string };

/**
 * The first half of a round trip: SQL → SR → SQL without running anything. Returns the
 * outcome instead when the query does not parse or its SR does not compile.
 */
export function translateRoundtrip(
  sql: string,
  schema: Schema,
  options: RoundtripOptions = {},
): RoundtripTranslation | RoundtripOutcome {
  let query: SqlQuery;
  try {
    query = parseSql(sql);
  } catch (error) {
    return { compiled: false, match: false, problem: `parse: ${(error as Error).message}` };
  }
  let sr: string;
  let rejoin: string[] = [];
  if (options.sr !== undefined) sr = options.sr;
  else {
    try {
      ({ sr, rejoin } = sqlToSr(query, schema));
    } catch (error) {
      return { compiled: false, match: false, problem: `to SR: ${(error as Error).message}` };
    }
  }
  let back: ReturnType<typeof srToSql>;
  try {
    back = srToSql(
      sr,
      schema,
      options.keepJoins ? joinsOfSql(analyzeSql(query, schema), rejoin) : {},
    );
  } catch (error) {
    return {
      sr,
      compiled: false,
      match: false,
      problem: `to SQL: internal error: ${(error as Error).message}`,
    };
  }
  if (!back.ok)
    return { sr, compiled: false, match: false, problem: `to SQL: ${back.error.message}` };
  return { query, sr, sql: back.sql };
}

/** True for a translation, false for an outcome that ended the round trip early. */
export function isTranslation(
  t: RoundtripTranslation | RoundtripOutcome,
): t is RoundtripTranslation {
  return 'query' in t;
}

/**
 * The second half: the outcome given what the original query (`expected`) and the compiled
 * one (`actual`, absent when the original could not run) returned. Rows are compared in
 * order when the original query (`t.query`) orders them; without it, as multisets.
 */
export function judgeRoundtrip(
  t: Pick<RoundtripTranslation, 'sr' | 'sql'> & { query?: SqlQuery },
  expected: RunResult,
  actual?: RunResult,
): RoundtripOutcome {
  const base = { sr: t.sr, sql: t.sql, compiled: true };
  if ('error' in expected) return { ...base, match: false, problem: `gold: ${expected.error}` };
  if (!actual) return { ...base, match: false, problem: 'the compiled query did not run' };
  if ('error' in actual) return { ...base, match: false, problem: `run: ${actual.error}` };
  const match = sameRows(expected.rows, actual.rows, (t.query?.orderBy.length ?? 0) > 0);
  return match ? { ...base, match } : { ...base, match, problem: 'different result' };
}

/**
 * Sends a query through SQL → SR → SQL and runs both on the database. Results are compared
 * as multisets of rows, in order when the original query orders its result.
 */
export function roundtrip(
  sql: string,
  schema: Schema,
  run: RunQuery,
  options: RoundtripOptions = {},
): RoundtripOutcome {
  const t = translateRoundtrip(sql, schema, options);
  if (!isTranslation(t)) return t;
  const attempt = (q: string): RunResult => {
    try {
      return { rows: run(q) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const expected = attempt(sql);
  return judgeRoundtrip(t, expected, 'error' in expected ? undefined : attempt(t.sql));
}

/** Equal results: same rows (as multisets, or in order when `ordered`). */
export function sameRows(a: Rows, b: Rows, ordered: boolean): boolean {
  if (a.length !== b.length) return false;
  const key = (row: readonly unknown[]) => JSON.stringify(row.map(normalizeValue));
  const x = a.map(key);
  const y = b.map(key);
  if (!ordered) {
    x.sort();
    y.sort();
  }
  return x.every((v, i) => v === y[i]);
}

function normalizeValue(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isInteger(v)) return Number(v.toPrecision(12));
  // Python-like runners give integers as bigint: the same number as sql.js's.
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : `int:${v}`;
  if (v instanceof Uint8Array) return `blob:${Array.from(v).join(',')}`;
  return v;
}
