/**
 * Worker thread body of WorkerSqlRunner: runs queries on sql.js databases read from files,
 * as Python's sqlite3 would. Runaway queries are stopped by terminating this thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { QueryOutcome, RunRequest } from '../core/eval/sql-runner';
import { executeLikePython, mayWrite, PyExecError } from '../core/eval/sqljs-exec';

export interface WorkerRequest extends Omit<RunRequest, 'timeoutMs'> {
  id: number;
}

export interface WorkerReply {
  id: number;
  outcomes: QueryOutcome[];
}

/** Sent when the database is open and the queries start: their time limit starts here. */
export interface WorkerStarted {
  id: number;
  started: true;
}

const require = createRequire(import.meta.url);
let sqlJs: Promise<SqlJsStatic> | undefined;
let open: { path: string; bytes: Uint8Array; db: Database } | undefined;

async function database(path: string): Promise<Database> {
  if (open?.path === path) return open.db;
  // Python's sqlite3 has SQLite's own math functions, not sql.js's legacy extension set.
  sqlJs ??= initSqlJs({
    locateFile: (file: string) => require.resolve(`sql.js/dist/${file}`),
    useOldExtensionFunctions: false,
  } as Parameters<typeof initSqlJs>[0]);
  const SQL = await sqlJs;
  open?.db.close();
  open = undefined;
  const bytes = new Uint8Array(readFileSync(path));
  open = { path, bytes, db: new SQL.Database(bytes) };
  return open.db;
}

async function serve(request: WorkerRequest): Promise<WorkerReply> {
  const outcomes: QueryOutcome[] = [];
  let db: Database;
  try {
    db = await database(request.db);
  } catch (error) {
    return {
      id: request.id,
      outcomes: [
        { kind: 'error', message: `cannot open ${request.db}: ${(error as Error).message}` },
      ],
    };
  }
  parentPort!.postMessage({ id: request.id, started: true } satisfies WorkerStarted);
  let dirty = false;
  for (const sql of request.queries) {
    dirty ||= mayWrite(sql);
    try {
      outcomes.push({ kind: 'rows', rows: executeLikePython(db, sql, request.text) });
    } catch (error) {
      const message = error instanceof PyExecError ? error.message : String(error);
      outcomes.push({ kind: 'error', message });
      break;
    }
  }
  if (dirty && open) {
    // Changes stay private to the request: start the next one from the file's bytes.
    const SQL = await sqlJs!;
    open.db.close();
    open.db = new SQL.Database(open.bytes);
  }
  return { id: request.id, outcomes };
}

parentPort?.on('message', (request: WorkerRequest) => {
  serve(request).then(
    (reply) => parentPort!.postMessage(reply),
    (error: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        outcomes: [{ kind: 'error', message: String(error) }],
      } satisfies WorkerReply),
  );
});
