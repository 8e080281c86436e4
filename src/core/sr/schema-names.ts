import type { Schema } from '../schema/schema';
import { type SrNames, srNames } from './lexer';

/** Case-insensitive lookups of a schema's table and column names, for SR work. */
export interface SchemaIndex {
  schema: Schema;
  /** lower-case table name -> table name. */
  tables: Map<string, string>;
  /** lower-case column name -> the tables that have it (schema order). */
  columns: Map<string, string[]>;
  /** lower-case `table.column` -> [table, column] as the schema spells them. */
  qualified: Map<string, readonly [string, string]>;
  /** Names the SR lexer must read as one word (they contain spaces or punctuation). */
  lexerNames: SrNames;
}

/** Indexes a schema for SR parsing, masking and validation. */
export function indexSchema(schema: Schema): SchemaIndex {
  const tables = new Map<string, string>();
  const columns = new Map<string, string[]>();
  const qualified = new Map<string, readonly [string, string]>();
  const all: string[] = [];
  for (const table of schema.tables) {
    tables.set(table.name.toLowerCase(), table.name);
    all.push(table.name);
    for (const column of table.columns) {
      const key = column.name.toLowerCase();
      const list = columns.get(key) ?? [];
      list.push(table.name);
      columns.set(key, list);
      qualified.set(`${table.name}.${column.name}`.toLowerCase(), [table.name, column.name]);
      all.push(column.name);
    }
  }
  return { schema, tables, columns, qualified, lexerNames: srNames(all) };
}

/** True when `name` (any case, backticks or brackets removed) is a column of some table. */
export function isColumnName(index: SchemaIndex, name: string): boolean {
  return index.columns.has(unquoteName(name).toLowerCase());
}

/** True when `name` (any case) is a table. */
export function isTableName(index: SchemaIndex, name: string): boolean {
  return index.tables.has(unquoteName(name).toLowerCase());
}

/** A name without surrounding backticks, double quotes or square brackets. */
export function unquoteName(name: string): string {
  const m = /^`(.*)`$|^"(.*)"$|^\[(.*)\]$/s.exec(name);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : name;
}
