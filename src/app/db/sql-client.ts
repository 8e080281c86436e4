import * as Comlink from 'comlink';
import type { Outcome, SqlWorkerApi } from '../../../workers/sql.worker';
import {
  DbError,
  DbOpenError,
  QueryError,
  QueryRefusedError,
  QueryTimeoutError,
} from '../../core/db/errors';
import {
  type ColumnProfile,
  DEFAULT_QUERY_LIMITS,
  type QueryLimits,
  type QueryResult,
  type SqlDatabase,
} from '../../core/db/sql-database';
import type { Schema } from '../../core/schema/schema';
import type { ValueCheck } from '../../core/sql/validate';

const ERRORS: Record<string, new (message: string) => DbError> = {
  DbFileError: DbOpenError,
  DbOpenError,
  QueryRefusedError,
  QueryError,
};

function unwrap<T>(result: Outcome<T>): T {
  if (!result.failed) return result.value;
  const Kind = ERRORS[result.name];
  if (Kind) throw new Kind(result.message);
  throw new DbError(result.message);
}

/** Time allowed for opening a file and for profiling one table. */
const OPEN_TIMEOUT_MS = 60_000;
const PROFILE_TIMEOUT_MS = 15_000;
/** Time the worker spends on one batch of value lookups before answering "cannot tell". */
const LOOKUP_BUDGET_MS = 1_000;
/** Backstop for a batch of lookups (each scans a bounded number of rows). */
const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * The page's side of the sql.js worker. It keeps the database bytes so a query that runs
 * past its time limit can be stopped the only way sql.js allows: terminate the worker,
 * start a fresh one and reopen the same bytes.
 */
export class SqlClient implements SqlDatabase {
  private worker: Worker | undefined;
  private api: Comlink.Remote<SqlWorkerApi> | undefined;
  private bytes: Uint8Array | undefined;
  private name = '';
  private currentSchema: Schema | undefined;
  /** How many times a runaway query forced a restart (shown to the user, used by tests). */
  restarts = 0;
  /** How many times the worker failed on its own (an uncaught error) and was replaced. */
  crashes = 0;
  /** Told when the worker failed and was replaced (the message says what happened). */
  onCrash: ((message: string) => void) | undefined;

  private spawn(): Comlink.Remote<SqlWorkerApi> {
    this.worker = new Worker(new URL('../../../workers/sql.worker.ts', import.meta.url), {
      type: 'module',
      name: 'sql',
    });
    this.api = Comlink.wrap<SqlWorkerApi>(this.worker);
    const worker = this.worker;
    const failed = (detail: string): void => {
      if (this.worker === worker) void this.recover(detail);
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      failed(event.message || 'an uncaught error');
    });
    worker.addEventListener('messageerror', () => failed('a message it could not read'));
    return this.api;
  }

  /**
   * The worker failed outside any call's control (an uncaught error, memory exhausted):
   * calls in flight fail with a message, and a fresh worker reopens the kept bytes.
   */
  private async recover(detail: string): Promise<void> {
    this.crashes++;
    for (const stop of this.inFlight)
      stop(new DbError(`the database worker failed (${detail}) and was restarted; run it again`));
    this.inFlight.clear();
    this.kill();
    let message = `The database worker failed (${detail}). It was restarted`;
    try {
      if (this.bytes) {
        await this.reopen();
        message += ` and ${this.name} was reopened; nothing was lost.`;
      } else message += '.';
    } catch (error) {
      message += `, but the database could not be reopened: ${(error as Error).message}`;
    }
    this.onCrash?.(message);
  }

  private kill(): void {
    for (const stop of this.inFlight)
      stop(new DbError('stopped: the database worker was restarted'));
    this.inFlight.clear();
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = undefined;
    this.api = undefined;
  }

  /** Rejecters of calls in flight, so a restart fails them at once instead of leaving them hanging. */
  private readonly inFlight = new Set<(error: Error) => void>();

  /** Runs `call` on the worker; past `timeoutMs` the worker is replaced and the bytes reopened. */
  private async guarded<T>(
    timeoutMs: number,
    call: (api: Comlink.Remote<SqlWorkerApi>) => Promise<Outcome<T>>,
  ): Promise<T> {
    const api = this.api ?? this.spawn();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop: ((error: Error) => void) | undefined;
    const stopped = new Promise<never>((_resolve, reject) => {
      stop = reject;
    });
    stopped.catch(() => {});
    this.inFlight.add(stop!);
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    let result: Outcome<T> | 'timeout';
    try {
      result = await Promise.race([call(api), timeout, stopped]);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(stop!);
    }
    if (result === 'timeout') {
      this.restarts++;
      this.kill();
      if (this.bytes) await this.reopen();
      throw new QueryTimeoutError(timeoutMs);
    }
    return unwrap(result);
  }

  private async reopen(): Promise<void> {
    const api = this.spawn();
    // A copy goes to the worker; ours stays for the next restart.
    unwrap(await api.open(this.bytes!.slice(), this.name));
  }

  /** Opens a database from its bytes; the schema's dbId is the file name without extension. */
  async open(bytes: Uint8Array, name: string): Promise<Schema> {
    this.kill();
    const schema = await this.guarded(OPEN_TIMEOUT_MS, (api) => api.open(bytes.slice(), name));
    this.bytes = bytes;
    this.name = name;
    this.currentSchema = schema;
    return schema;
  }

  /** What the open check warned about the open file (e.g. a WAL-mode file), if anything. */
  async warnings(): Promise<string[]> {
    return this.api ? await this.api.warnings() : [];
  }

  get isOpen(): boolean {
    return this.bytes !== undefined;
  }

  async schema(): Promise<Schema> {
    if (this.currentSchema) return this.currentSchema;
    throw new QueryError('no database is open');
  }

  async query(sql: string, limits: Partial<QueryLimits> = {}): Promise<QueryResult> {
    const { maxRows, timeoutMs } = { ...DEFAULT_QUERY_LIMITS, ...limits };
    if (!this.bytes) throw new QueryError('no database is open');
    return this.guarded(timeoutMs, (api) => api.query(sql, maxRows));
  }

  async profile(table: string): Promise<ColumnProfile[]> {
    if (!this.bytes) throw new QueryError('no database is open');
    return this.guarded(PROFILE_TIMEOUT_MS, (api) => api.profile(table));
  }

  /** SQLite's message when it rejects a statement (prepared, not run); undefined when it accepts it. */
  async check(sql: string): Promise<string | undefined> {
    if (!this.bytes) throw new QueryError('no database is open');
    return (await this.guarded(LOOKUP_TIMEOUT_MS, (api) => api.check(sql))) ?? undefined;
  }

  /** Whether values occur in columns (see the worker's `occurs`); null where it cannot tell. */
  async occurs(checks: ValueCheck[], budgetMs = LOOKUP_BUDGET_MS): Promise<(boolean | null)[]> {
    if (!this.bytes) throw new QueryError('no database is open');
    return this.guarded(LOOKUP_TIMEOUT_MS, (api) => api.occurs(checks, budgetMs));
  }

  /** Closes the database and stops the worker. */
  close(): void {
    this.kill();
    this.bytes = undefined;
    this.currentSchema = undefined;
  }
}
