import type { Schema } from '../schema/schema';
import { analyzeSql, joinKeysOf } from '../sql/analyze';
import { parseSql } from '../sql/parse';
import { sqlToSr } from './from-sql';
import { srToSql } from './to-sql';

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
   * Compile with the query's own join keys (`joinKeysOf`), as the fast preset compiles a
   * corrected trajectory with the keys of the SQL it corrects. Without it (the default) the
   * joins come from the trajectory and the schema's foreign keys alone.
   */
  keepJoins?: boolean;
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
  let query: ReturnType<typeof parseSql>;
  try {
    query = parseSql(sql);
  } catch (error) {
    return { compiled: false, match: false, problem: `parse: ${(error as Error).message}` };
  }
  let sr: string;
  try {
    sr = sqlToSr(query, schema).sr;
  } catch (error) {
    return { compiled: false, match: false, problem: `to SR: ${(error as Error).message}` };
  }
  let back: ReturnType<typeof srToSql>;
  try {
    back = srToSql(
      sr,
      schema,
      options.keepJoins ? { joinKeys: joinKeysOf(analyzeSql(query, schema)) } : {},
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
  let expected: Rows;
  let actual: Rows;
  try {
    expected = run(sql);
  } catch (error) {
    return {
      sr,
      sql: back.sql,
      compiled: true,
      match: false,
      problem: `gold: ${(error as Error).message}`,
    };
  }
  try {
    actual = run(back.sql);
  } catch (error) {
    return {
      sr,
      sql: back.sql,
      compiled: true,
      match: false,
      problem: `run: ${(error as Error).message}`,
    };
  }
  const ordered = query.orderBy.length > 0;
  const match = sameRows(expected, actual, ordered);
  return match
    ? { sr, sql: back.sql, compiled: true, match }
    : { sr, sql: back.sql, compiled: true, match, problem: 'different result' };
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
  if (v instanceof Uint8Array) return `blob:${Array.from(v).join(',')}`;
  return v;
}
