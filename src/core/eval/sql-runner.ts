import type { PyRow } from './py-value';

/** How text values are decoded: Python's default (`strict`) or Spider's `errors="ignore"`. */
export type TextMode = 'strict' | 'ignore';

/** What one query gave: its rows, an error message, or a timeout. */
export type QueryOutcome =
  | { kind: 'rows'; rows: PyRow[] }
  | { kind: 'error'; message: string }
  | { kind: 'timeout'; timeoutMs: number };

/** Queries to run on one database, in order, on one connection. */
export interface RunRequest {
  /** The database, named as the runner knows it (a file path in Node, a key in a worker). */
  db: string;
  /** Run in order, stopping after the first that fails; a later query sees earlier changes. */
  queries: string[];
  /** Time limit for the whole request, in milliseconds. */
  timeoutMs: number;
  text: TextMode;
}

/**
 * Executes SQL as Python's `sqlite3` would (one statement per query, int/float/str/bytes
 * values), on a private copy of the database: changes a query makes are visible to the
 * later queries of the same request, never to other requests, and never reach the file.
 * Node serves it with sql.js in a worker thread it can terminate; the browser with its
 * SQL worker.
 */
export interface SqlRunner {
  /** One outcome per query run; fewer than asked when one failed or timed out. */
  run(request: RunRequest): Promise<QueryOutcome[]>;
  close(): Promise<void>;
}
