import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { TablesJsonEntry } from '../core/schema/from-tables-json';
import { syntheticDatabase } from '../core/sr/synthetic-db';

/**
 * Asks SQLite whether it accepts a statement on a database's schema, built empty from
 * `tables.json` (preparing needs the tables and columns, not the rows, and a BIRD database
 * can be gigabytes): undefined when it does, SQLite's message when it does not. One empty
 * database per db_id, made on first use and kept until `close`.
 */
export class SchemaCheck {
  private sqlJs: Promise<SqlJsStatic> | undefined;
  private readonly databases = new Map<string, Database>();

  constructor(private readonly tables: readonly TablesJsonEntry[]) {}

  async check(dbId: string, sql: string): Promise<string | undefined> {
    this.sqlJs ??= initSqlJs();
    const SQL = await this.sqlJs;
    let db = this.databases.get(dbId);
    if (!db) {
      const entry = this.tables.find((t) => t.db_id === dbId);
      if (!entry) return undefined; // no schema to check against: cannot tell
      db = syntheticDatabase(SQL, entry, { rows: 0 });
      this.databases.set(dbId, db);
    }
    try {
      db.prepare(sql).free();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  close(): void {
    for (const db of this.databases.values()) db.close();
    this.databases.clear();
  }
}
