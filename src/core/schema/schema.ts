/** A column of a table, in declared order. `type` is the declared SQL type ('' when none). */
export interface Column {
  name: string;
  type: string;
}

/** A table with its columns in declared order and its primary-key column names. */
export interface Table {
  name: string;
  columns: Column[];
  primaryKey: string[];
}

/** One foreign-key pair: `fromTable.fromColumn` references `toTable.toColumn`. */
export interface ForeignKey {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
}

/**
 * A database schema: tables in declared order, foreign keys in declared order.
 * The same model serves Spider/BIRD `tables.json` entries and live SQLite databases.
 */
export interface Schema {
  dbId: string;
  tables: Table[];
  foreignKeys: ForeignKey[];
}

/** A `[table, column]` pair, the unit the SHARE prompts speak in. */
export type TableColumn = readonly [table: string, column: string];

/** Every `[table, column]` pair of the schema, tables in order, columns in declared order. */
export function tableColumns(schema: Schema): TableColumn[] {
  const pairs: TableColumn[] = [];
  for (const table of schema.tables) {
    for (const column of table.columns) pairs.push([table.name, column.name]);
  }
  return pairs;
}

/** Finds a table by exact name, or undefined. */
export function findTable(schema: Schema, name: string): Table | undefined {
  return schema.tables.find((t) => t.name === name);
}

/**
 * True when one of `keys` says `from` references `to` (names compared case-insensitively, as
 * SQLite does); with `either`, also when `to` references `from`.
 */
export function isKeyBetween(
  keys: readonly ForeignKey[],
  from: { table: string; column: string },
  to: { table: string; column: string },
  either = false,
): boolean {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const refers = (
    k: ForeignKey,
    a: { table: string; column: string },
    b: { table: string; column: string },
  ) =>
    same(k.fromTable, a.table) &&
    same(k.fromColumn, a.column) &&
    same(k.toTable, b.table) &&
    same(k.toColumn, b.column);
  return keys.some((k) => refers(k, from, to) || (either && refers(k, to, from)));
}
