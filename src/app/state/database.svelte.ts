import {
  DEFAULT_MAX_DB_BYTES,
  readSqliteHeader,
  SQLITE_HEADER_BYTES,
} from '../../core/db/open-check';
import type { ColumnProfile, QueryLimits, QueryResult } from '../../core/db/sql-database';
import type { Schema } from '../../core/schema/schema';
import type { ValueCheck } from '../../core/sql/validate';
import { SqlClient } from '../db/sql-client';
import { forgetDatabase, loadDatabase, saveDatabase } from '../db/stored-database';

export type DatabaseStatus = 'empty' | 'opening' | 'open' | 'error';

/** Tables profiled automatically after opening (the rest on demand). */
const AUTO_PROFILE_TABLES = 60;

/** The open database: its schema, column profiles, persistence, and read-only queries. */
export class DatabaseState {
  status = $state<DatabaseStatus>('empty');
  name = $state<string | undefined>();
  bytes = $state(0);
  schema = $state<Schema | undefined>();
  error = $state<string | undefined>();
  notice = $state<string | undefined>();
  profiles = $state<Record<string, ColumnProfile[]>>({});
  restarts = $state(0);
  /** Set when the sql worker failed and was replaced (what happened, for the user). */
  crashNotice = $state<string | undefined>();
  private readonly client = new SqlClient();

  constructor() {
    this.client.onCrash = (message) => {
      this.crashNotice = message;
    };
  }

  /**
   * Opens a file the user picked or dropped, and keeps a copy in IndexedDB. Its header is
   * checked first (100 bytes read), so a file that is not SQLite or is over the memory
   * budget is refused before the whole of it is read into memory.
   */
  async openFile(file: File): Promise<void> {
    try {
      const head = new Uint8Array(await file.slice(0, SQLITE_HEADER_BYTES).arrayBuffer());
      readSqliteHeader(head, {
        fileName: file.name,
        maxBytes: DEFAULT_MAX_DB_BYTES,
        totalBytes: file.size,
      });
    } catch (error) {
      this.status = this.schema ? 'open' : 'error';
      this.error = (error as Error).message;
      return;
    }
    await this.openBytes(new Uint8Array(await file.arrayBuffer()), file.name, true);
  }

  async openBytes(bytes: Uint8Array, name: string, persist: boolean): Promise<void> {
    this.status = 'opening';
    this.error = undefined;
    this.notice = undefined;
    try {
      const schema = await this.client.open(bytes, name);
      this.schema = schema;
      this.name = name;
      this.bytes = bytes.length;
      this.profiles = {};
      this.status = 'open';
      const warnings = await this.client.warnings().catch(() => []);
      if (warnings.length) this.notice = warnings.join(' ');
      if (persist) {
        await saveDatabase(name, bytes).catch((error: Error) => {
          this.notice = `The database is open but could not be kept for the next visit: ${error.message}`;
        });
      }
      void this.profileSome();
    } catch (error) {
      this.status = this.schema ? 'open' : 'error';
      this.error = (error as Error).message;
    }
  }

  /** Reopens the database kept from the last visit, if any. */
  async restore(): Promise<void> {
    try {
      const stored = await loadDatabase();
      if (stored) await this.openBytes(stored.bytes, stored.name, false);
    } catch (error) {
      this.error = `The database kept from your last visit could not be read: ${(error as Error).message}`;
    }
  }

  /** Closes the database and removes the kept copy. */
  async forget(): Promise<void> {
    this.client.close();
    await forgetDatabase();
    this.status = 'empty';
    this.name = undefined;
    this.schema = undefined;
    this.profiles = {};
    this.error = undefined;
    this.notice = undefined;
  }

  async profile(table: string): Promise<ColumnProfile[] | undefined> {
    const cached = this.profiles[table];
    if (cached) return cached;
    try {
      const profile = await this.client.profile(table);
      this.profiles[table] = profile;
      return profile;
    } catch (error) {
      this.notice = `Profiling ${table} stopped: ${(error as Error).message}`;
      return undefined;
    }
  }

  private async profileSome(): Promise<void> {
    const tables = this.schema?.tables.slice(0, AUTO_PROFILE_TABLES) ?? [];
    for (const table of tables) {
      if (this.status !== 'open') return;
      await this.profile(table.name);
    }
  }

  /** Whether values occur in columns: true, false, or null where it cannot tell. */
  async occurs(checks: ValueCheck[]): Promise<(boolean | null)[]> {
    return this.client.occurs(checks);
  }

  /** SQLite's message when it rejects a statement (prepared, not run); undefined when it accepts it. */
  async check(sql: string): Promise<string | undefined> {
    return this.client.check(sql);
  }

  async query(sql: string, limits?: Partial<QueryLimits>): Promise<QueryResult> {
    try {
      return await this.client.query(sql, limits);
    } finally {
      this.restarts = this.client.restarts;
    }
  }
}

export const database = new DatabaseState();
