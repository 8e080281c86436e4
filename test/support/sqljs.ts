import { readFileSync } from 'node:fs';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';

let sqlJs: Promise<SqlJsStatic> | undefined;

/** The real sql.js (wasm), loaded once per test file. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

/** Opens a SQLite file from disk in sql.js (the file itself is never written). */
export async function openSqliteFile(path: string): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(readFileSync(path));
}
