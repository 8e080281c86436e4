import { SchemaError } from './errors';
import type { ForeignKey, Schema, Table } from './schema';

/** One database entry of a Spider/BIRD `tables.json` file (the fields we read). */
export interface TablesJsonEntry {
  db_id: string;
  table_names_original: string[];
  column_names_original: [number, string][];
  column_types?: string[];
  primary_keys?: (number | number[])[];
  foreign_keys?: [number, number][];
}

/**
 * Builds a Schema from a `tables.json` entry. Columns keep the order of
 * `column_names_original` (whose first entry is `[-1, "*"]`); keys are resolved by index.
 */
export function schemaFromTablesJson(entry: TablesJsonEntry): Schema {
  const where = `tables.json entry "${entry?.db_id ?? '?'}"`;
  if (!entry || typeof entry.db_id !== 'string') throw new SchemaError(`${where}: missing db_id`);
  if (!Array.isArray(entry.table_names_original) || !Array.isArray(entry.column_names_original)) {
    throw new SchemaError(`${where}: missing table_names_original or column_names_original`);
  }
  const tables: Table[] = entry.table_names_original.map((name) => ({
    name,
    columns: [],
    primaryKey: [],
  }));
  const columnAt = (index: number): { table: Table; column: string } => {
    const col = entry.column_names_original[index];
    const table = col ? tables[col[0]] : undefined;
    if (!col || !table) throw new SchemaError(`${where}: column index ${index} does not exist`);
    return { table, column: col[1] };
  };
  entry.column_names_original.forEach(([tableIndex, name], i) => {
    if (tableIndex < 0) return; // the leading [-1, "*"]
    const table = tables[tableIndex];
    if (!table) throw new SchemaError(`${where}: column "${name}" names table index ${tableIndex}`);
    table.columns.push({ name, type: entry.column_types?.[i] ?? '' });
  });
  for (const pk of entry.primary_keys ?? []) {
    for (const index of Array.isArray(pk) ? pk : [pk]) {
      const { table, column } = columnAt(index);
      table.primaryKey.push(column);
    }
  }
  const foreignKeys: ForeignKey[] = (entry.foreign_keys ?? []).map(([from, to]) => {
    const src = columnAt(from);
    const dst = columnAt(to);
    return {
      fromTable: src.table.name,
      fromColumn: src.column,
      toTable: dst.table.name,
      toColumn: dst.column,
    };
  });
  return { dbId: entry.db_id, tables, foreignKeys };
}

/** Finds the entry for `dbId` in a parsed `tables.json` array and builds its Schema. */
export function schemaForDb(tablesJson: TablesJsonEntry[], dbId: string): Schema {
  const entry = tablesJson.find((e) => e.db_id === dbId);
  if (!entry) throw new SchemaError(`database "${dbId}" is not in tables.json`);
  return schemaFromTablesJson(entry);
}
