import type { Schema } from '../schema/schema';

/** A cell as the UI shows it: text, a number, null, or a blob summarised by its size. */
export type Cell = string | number | null | { blobBytes: number };

/** The rows of one read-only query. */
export interface QueryResult {
  columns: string[];
  rows: Cell[][];
  /** More rows existed than `maxRows`; only the first `maxRows` are in `rows`. */
  truncated: boolean;
  durationMs: number;
}

/** Limits of one query. */
export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxRows: 200, timeoutMs: 5_000 };

/** What the data says about one column (computed with bounded queries). */
export interface ColumnProfile {
  table: string;
  column: string;
  /** Declared SQL type ('' when none). */
  type: string;
  /** Rows looked at (at most the profile's row bound). */
  rowsScanned: number;
  nonNull: number;
  distinct: number;
  /** A few distinct non-null values, as text, each cut to a readable length. */
  examples: string[];
}

/** Facts about an opened database. */
export interface DatabaseInfo {
  name: string;
  bytes: number;
  schema: Schema;
}

/**
 * A SQLite database opened read-only by construction: only single SELECT/WITH statements
 * run, with `PRAGMA query_only` set, rows capped and a time limit enforced.
 */
export interface SqlDatabase {
  schema(): Promise<Schema>;
  query(sql: string, limits?: Partial<QueryLimits>): Promise<QueryResult>;
  profile(table: string): Promise<ColumnProfile[]>;
}
