import { Worker } from 'node:worker_threads';
import type { QueryOutcome, RunRequest, SqlRunner } from '../core/eval/sql-runner';
import type { RunResult } from '../core/sr/roundtrip';
import type { WorkerReply, WorkerRequest, WorkerStarted } from './sql-worker';

// A plain file URL (not `new Worker(new URL(…))` inline) so bundlers leave the Node worker alone.
const WORKER_ENTRY = new URL('./sql-worker-entry.mjs', import.meta.url);

interface Lane {
  worker: Worker;
  busy: boolean;
}

/**
 * A SqlRunner on sql.js in worker threads (Node). sql.js cannot interrupt a query, so a
 * request past its time limit terminates its worker; the next request starts a new one.
 */
export class WorkerSqlRunner implements SqlRunner {
  private readonly lanes: Lane[] = [];
  private readonly waiting: ((lane: Lane) => void)[] = [];
  private nextId = 0;

  /** `parallel`: worker threads at most (each holds one open database in memory). */
  constructor(private readonly parallel = 1) {}

  private spawn(): Lane {
    const worker = new Worker(WORKER_ENTRY);
    worker.unref();
    return { worker, busy: false };
  }

  private acquire(): Promise<Lane> {
    const idle = this.lanes.find((l) => !l.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (this.lanes.length < this.parallel) {
      const lane = this.spawn();
      lane.busy = true;
      this.lanes.push(lane);
      return Promise.resolve(lane);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(lane: Lane): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(lane);
    else lane.busy = false;
  }

  private replace(lane: Lane): Lane {
    void lane.worker.terminate();
    const fresh = this.spawn();
    fresh.busy = true;
    this.lanes[this.lanes.indexOf(lane)] = fresh;
    return fresh;
  }

  async run(request: RunRequest): Promise<QueryOutcome[]> {
    let lane = await this.acquire();
    const id = this.nextId++;
    const message: WorkerRequest = {
      id,
      db: request.db,
      queries: request.queries,
      text: request.text,
    };
    try {
      return await new Promise<QueryOutcome[]>((resolve) => {
        const { worker } = lane;
        const cleanup = (): void => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        let timer: ReturnType<typeof setTimeout> | undefined;
        const onMessage = (reply: WorkerReply | WorkerStarted): void => {
          if (reply.id !== id) return;
          if ('started' in reply) {
            // The limit covers the queries, not starting the worker or loading the file.
            timer = setTimeout(() => {
              cleanup();
              lane = this.replace(lane);
              resolve([{ kind: 'timeout', timeoutMs: request.timeoutMs }]);
            }, request.timeoutMs);
            return;
          }
          cleanup();
          resolve(reply.outcomes);
        };
        const onError = (error: Error): void => {
          cleanup();
          lane = this.replace(lane);
          resolve([{ kind: 'error', message: `the SQL worker failed: ${error.message}` }]);
        };
        const onExit = (code: number): void => {
          cleanup();
          lane = this.replace(lane);
          resolve([{ kind: 'error', message: `the SQL worker stopped (exit code ${code})` }]);
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage(message);
      });
    } finally {
      this.release(lane);
    }
  }

  async close(): Promise<void> {
    const lanes = this.lanes.splice(0);
    await Promise.all(lanes.map((l) => l.worker.terminate()));
  }
}

/** One query on `db` through `runner`: its rows, or why there are none (an error, the time limit). */
export async function runOne(
  runner: SqlRunner,
  db: string,
  sql: string,
  timeoutMs: number,
): Promise<RunResult> {
  const [result] = await runner.run({ db, queries: [sql], timeoutMs, text: 'ignore' });
  if (result?.kind === 'rows') return { rows: result.rows };
  if (result?.kind === 'timeout') return { error: `time limit (${timeoutMs} ms) passed` };
  return { error: result?.message ?? 'no result' };
}
