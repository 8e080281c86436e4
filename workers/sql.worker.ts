/**
 * sql.js behind comlink: one database per worker, opened from bytes, read-only by
 * construction. The page keeps the bytes; when a query runs past its time limit the page
 * terminates this worker and opens the bytes in a fresh one (sql.js cannot interrupt).
 */
import * as Comlink from 'comlink';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { QueryError, QueryRefusedError } from '../src/core/db/errors';
import { DEFAULT_MAX_DB_BYTES, openCheckedDatabase } from '../src/core/db/open-check';
import {
  moreRowsThanSql,
  PROFILE_ROW_BOUND,
  profileCountsSql,
  profileExamplesSql,
  valueLookupSql,
} from '../src/core/db/profile-sql';
import { checkReadOnly } from '../src/core/db/read-only';
import type { Cell, ColumnProfile, QueryResult } from '../src/core/db/sql-database';
import { schemaFromSqlite } from '../src/core/schema/from-sqlite';
import type { Schema } from '../src/core/schema/schema';
import type { ValueCheck } from '../src/core/sql/validate';

/** Errors cross the worker boundary as `{ name, message }` so the page can rebuild them. */
export interface WorkerFailure {
  failed: true;
  name: string;
  message: string;
}

export type Outcome<T> = { failed: false; value: T } | WorkerFailure;

const sqlJs = initSqlJs({ locateFile: () => wasmUrl });
let db: Database | undefined;
let dbName = '';
/** What the open check said about the last file that opened (e.g. WAL mode). */
let openWarnings: string[] = [];

function outcome<T>(run: () => T): Outcome<T> {
  try {
    return { failed: false, value: run() };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { failed: true, name: e.name, message: e.message };
  }
}

function open(): Database {
  if (!db) throw new QueryError('no database is open');
  return db;
}

function toCell(value: SqlValue): Cell {
  if (value instanceof Uint8Array) return { blobBytes: value.length };
  return value;
}

const MAX_EXAMPLE_CHARS = 60;

const api = {
  /** Opens a SQLite file's bytes (the previous database is closed). */
  async open(bytes: Uint8Array, name: string): Promise<Outcome<Schema>> {
    const SQL = await sqlJs;
    return outcome(() => {
      db?.close();
      db = undefined;
      // Header checks, then sql.js opens a copy and runs PRAGMA quick_check.
      const checked = openCheckedDatabase(SQL, bytes, {
        fileName: name,
        maxBytes: DEFAULT_MAX_DB_BYTES,
      });
      const candidate = checked.db;
      candidate.exec('PRAGMA query_only = ON');
      openWarnings = checked.warnings;
      db = candidate;
      dbName = name;
      return schemaFromSqlite(db, name.replace(/\.(sqlite3?|db)$/i, ''));
    });
  },

  /** Warnings about the open file (shown to the user; the file opened anyway). */
  warnings(): string[] {
    return openWarnings;
  },

  schema(): Outcome<Schema> {
    return outcome(() => schemaFromSqlite(open(), dbName.replace(/\.(sqlite3?|db)$/i, '')));
  },

  /** Runs one read-only statement and returns at most `maxRows` rows. */
  query(sql: string, maxRows: number): Outcome<QueryResult> {
    return outcome(() => {
      const database = open();
      const statementSql = checkReadOnly(sql);
      const started = performance.now();
      let statement: ReturnType<Database['prepare']> | undefined;
      try {
        statement = database.prepare(statementSql);
        const columns = statement.getColumnNames();
        const rows: Cell[][] = [];
        let truncated = false;
        while (statement.step()) {
          if (rows.length >= maxRows) {
            truncated = true;
            break;
          }
          rows.push(statement.get().map(toCell));
        }
        return { columns, rows, truncated, durationMs: performance.now() - started };
      } catch (error) {
        if (error instanceof QueryRefusedError) throw error;
        const message = (error as Error).message;
        if (/readonly|read-only|query_only/i.test(message)) {
          throw new QueryRefusedError(`the database is read-only here: ${message}`);
        }
        throw new QueryError(message);
      } finally {
        statement?.free();
      }
    });
  },

  /**
   * Whether SQLite accepts a read-only statement: prepared, not run. null when it does,
   * SQLite's message when it does not.
   */
  check(sql: string): Outcome<string | null> {
    return outcome(() => {
      const database = open();
      try {
        database.prepare(checkReadOnly(sql)).free();
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    });
  },

  /**
   * Whether each value occurs in its column: true, false, or null when it cannot tell (the
   * table is longer than the scan bound and its first rows do not hold the value, the query
   * failed, or `budgetMs` ran out). Bounded, so checking SQL as it is typed stays quick.
   */
  occurs(checks: ValueCheck[], budgetMs: number): Outcome<(boolean | null)[]> {
    return outcome(() => {
      const database = open();
      const started = performance.now();
      const longer = new Map<string, boolean>();
      return checks.map(({ table, column, value }) => {
        if (performance.now() - started > budgetMs) return null;
        try {
          if (database.exec(valueLookupSql(table, column), [value])[0]?.values.length) return true;
          if (!longer.has(table))
            longer.set(table, database.exec(moreRowsThanSql(table))[0]?.values[0]?.[0] === 1);
          return longer.get(table) ? null : false;
        } catch {
          return null;
        }
      });
    });
  },

  /** Profiles every column of a table with bounded queries. */
  profile(table: string): Outcome<ColumnProfile[]> {
    return outcome(() => {
      const database = open();
      const info = database.exec('SELECT name, type FROM pragma_table_info(?) ORDER BY cid', [
        table,
      ]);
      const columns = (info[0]?.values ?? []).map((r) => [String(r[0]), String(r[1] ?? '')]);
      return columns.map(([column, type]): ColumnProfile => {
        const counts = database.exec(profileCountsSql(table, column!))[0]?.values[0] ?? [];
        const examples = (database.exec(profileExamplesSql(table, column!))[0]?.values ?? []).map(
          (r) => {
            const v = r[0];
            const s = v instanceof Uint8Array ? `<blob ${v.length} bytes>` : String(v);
            return s.length > MAX_EXAMPLE_CHARS ? `${s.slice(0, MAX_EXAMPLE_CHARS)}…` : s;
          },
        );
        return {
          table,
          column: column!,
          type: type!,
          rowsScanned: Math.min(Number(counts[0] ?? 0), PROFILE_ROW_BOUND),
          nonNull: Number(counts[1] ?? 0),
          distinct: Number(counts[2] ?? 0),
          examples,
        };
      });
    });
  },

  close(): void {
    db?.close();
    db = undefined;
  },
};

export type SqlWorkerApi = typeof api;

Comlink.expose(api);
