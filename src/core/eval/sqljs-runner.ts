import type { Database } from 'sql.js';
import type { QueryOutcome, RunRequest, SqlRunner } from './sql-runner';
import { executeLikePython, mayWrite, PyExecError } from './sqljs-exec';

/**
 * A SqlRunner over sql.js databases in the same thread (a browser SQL worker, or tests).
 * sql.js cannot interrupt a query, so it cannot enforce `timeoutMs` itself: the thread that
 * hosts it must be terminated from outside past the limit (as WorkerSqlRunner does in Node).
 * `open` gives a fresh private copy of a database (changes of one request are dropped).
 */
export class InProcessSqlRunner implements SqlRunner {
  private current: { key: string; db: Database } | undefined;

  constructor(private readonly open: (db: string) => Promise<Database>) {}

  /** `onStarted` is called once the database is open, just before the queries run. */
  async run(request: RunRequest, onStarted?: () => void): Promise<QueryOutcome[]> {
    let db: Database;
    try {
      if (this.current?.key !== request.db) {
        this.current?.db.close();
        this.current = undefined;
        this.current = { key: request.db, db: await this.open(request.db) };
      }
      db = this.current.db;
    } catch (error) {
      return [{ kind: 'error', message: `cannot open ${request.db}: ${(error as Error).message}` }];
    }
    onStarted?.();
    const outcomes: QueryOutcome[] = [];
    let dirty = false;
    for (const sql of request.queries) {
      dirty ||= mayWrite(sql);
      try {
        outcomes.push({ kind: 'rows', rows: executeLikePython(db, sql, request.text) });
      } catch (error) {
        outcomes.push({
          kind: 'error',
          message: error instanceof PyExecError ? error.message : String(error),
        });
        break;
      }
    }
    if (dirty) {
      // The next request starts from the database as opened, like a new Python connection.
      this.current.db.close();
      this.current = undefined;
    }
    return outcomes;
  }

  async close(): Promise<void> {
    this.current?.db.close();
    this.current = undefined;
  }
}
