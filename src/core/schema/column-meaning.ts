import { SchemaError } from './errors';

/**
 * Column meanings keyed `"{db_id}|{table}|{column}"`, as in SHARE's `column_meaning.json`.
 * Values are kept raw (a leading `#` is dropped only when a description line is written).
 */
export type ColumnMeanings = ReadonlyMap<string, string>;

/** The lookup key of one column. */
export function columnMeaningKey(dbId: string, table: string, column: string): string {
  return `${dbId}|${table}|${column}`;
}

/** Parses the text of a `column_meaning.json` file. */
export function parseColumnMeanings(text: string): ColumnMeanings {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SchemaError(`column_meaning.json is not valid JSON: ${(error as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SchemaError('column_meaning.json must be an object of "db|table|column": text');
  }
  const meanings = new Map<string, string>();
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') {
      throw new SchemaError(`column_meaning.json: the value of "${key}" is not a string`);
    }
    meanings.set(key, value);
  }
  return meanings;
}
