import type { Database, SqlValue } from 'sql.js';
import { SchemaError } from './errors';
import type { ForeignKey, Schema, Table } from './schema';

/** The part of a sql.js `Database` the loader needs (so a worker proxy can stand in). */
export type SqlExecutor = Pick<Database, 'exec'>;

function rows(db: SqlExecutor, sql: string, params: SqlValue[] = []): SqlValue[][] {
  const result = db.exec(sql, params);
  return result[0]?.values ?? [];
}

/**
 * Reads the schema of an open SQLite database: tables in creation order (internal
 * `sqlite_%` tables skipped), columns in declared order with their declared types, primary
 * keys, and foreign keys (a key naming no target column refers to the target's primary key).
 */
export function schemaFromSqlite(db: SqlExecutor, dbId: string): Schema {
  let names: string[];
  try {
    names = rows(
      db,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    ).map((r) => String(r[0]));
  } catch (error) {
    throw new SchemaError(`cannot read the schema of "${dbId}": ${(error as Error).message}`);
  }
  const tables: Table[] = names.map((name) => {
    const info = rows(db, 'SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid', [name]);
    const primaryKey = info
      .filter((r) => Number(r[2]) > 0)
      .sort((a, b) => Number(a[2]) - Number(b[2]))
      .map((r) => String(r[0]));
    return {
      name,
      columns: info.map((r) => ({ name: String(r[0]), type: String(r[1] ?? '') })),
      primaryKey,
    };
  });
  const byLowerName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const foreignKeys: ForeignKey[] = [];
  for (const table of tables) {
    const fks = rows(
      db,
      'SELECT "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq',
      [table.name],
    );
    const pkSeen = new Map<string, number>();
    for (const [toTableRaw, from, to] of fks) {
      const target = byLowerName.get(String(toTableRaw).toLowerCase());
      const toTable = target?.name ?? String(toTableRaw);
      let toColumn = to === null ? undefined : String(to);
      if (toColumn === undefined) {
        // REFERENCES t without a column list: the n-th column of t's primary key.
        const n = pkSeen.get(toTable) ?? 0;
        pkSeen.set(toTable, n + 1);
        toColumn = target?.primaryKey[n] ?? '';
      }
      foreignKeys.push({ fromTable: table.name, fromColumn: String(from), toTable, toColumn });
    }
  }
  return { dbId, tables, foreignKeys };
}
