/**
 * Worker thread body of WorkerSqlRunner: runs queries on sql.js databases read from files,
 * as Python's sqlite3 would. Runaway queries are stopped by terminating this thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import type { QueryOutcome, RunRequest } from '../core/eval/sql-runner';
import { InProcessSqlRunner } from '../core/eval/sqljs-runner';

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
// The bytes of the last file, so reopening a fresh copy after a writing query is cheap.
let file: { path: string; bytes: Uint8Array } | undefined;

const runner = new InProcessSqlRunner(async (path) => {
  // Python's sqlite3 has SQLite's own math functions, not sql.js's legacy extension set.
  sqlJs ??= initSqlJs({
    locateFile: (name: string) => require.resolve(`sql.js/dist/${name}`),
    useOldExtensionFunctions: false,
  } as Parameters<typeof initSqlJs>[0]);
  const SQL = await sqlJs;
  if (file?.path !== path) file = { path, bytes: new Uint8Array(readFileSync(path)) };
  return new SQL.Database(file.bytes);
});

parentPort?.on('message', (request: WorkerRequest) => {
  const started = (): void =>
    parentPort!.postMessage({ id: request.id, started: true } satisfies WorkerStarted);
  runner.run({ ...request, timeoutMs: 0 }, started).then(
    (outcomes) => parentPort!.postMessage({ id: request.id, outcomes } satisfies WorkerReply),
    (error: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        outcomes: [{ kind: 'error', message: String(error) }],
      } satisfies WorkerReply),
  );
});
