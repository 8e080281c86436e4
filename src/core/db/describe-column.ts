import type { ColumnMeanings } from '../schema/column-meaning';
import { columnMeaningKey } from '../schema/column-meaning';
import type { Schema } from '../schema/schema';
import type { ColumnProfile } from './sql-database';

/** A one-line description of a column from what its data shows. */
export function describeFromProfile(profile: ColumnProfile): string {
  const type = profile.type || 'untyped';
  const scanned =
    profile.rowsScanned > 0 ? ` (in ${profile.rowsScanned.toLocaleString('en-US')} rows)` : '';
  const examples = profile.examples.length
    ? `; e.g. ${profile.examples.map((e) => JSON.stringify(e)).join(', ')}`
    : '';
  return `${type}; ${profile.distinct} distinct of ${profile.nonNull} non-null values${scanned}${examples}`;
}

/** Where column descriptions come from, in order of precedence. */
export interface MeaningSources {
  /** Typed by the user, keyed like column_meaning.json. */
  edits: ReadonlyMap<string, string>;
  /** Imported column_meaning.json or BIRD database_description CSVs. */
  imported: ReadonlyMap<string, string>;
  /** Column profiles by table; used only for columns with no other description. */
  profiles?: Readonly<Record<string, readonly ColumnProfile[]>>;
}

/** The column meanings the prompts get for a schema: edits, then imports, then profiles. */
export function columnMeaningsFor(schema: Schema, sources: MeaningSources): ColumnMeanings {
  const meanings = new Map<string, string>();
  for (const table of schema.tables) {
    const profiles = sources.profiles?.[table.name];
    for (const column of table.columns) {
      const key = columnMeaningKey(schema.dbId, table.name, column.name);
      const profile = profiles?.find((p) => p.column === column.name);
      const text =
        sources.edits.get(key) ??
        sources.imported.get(key) ??
        (profile ? describeFromProfile(profile) : undefined);
      if (text !== undefined && text.trim() !== '') meanings.set(key, text);
    }
  }
  return meanings;
}

/** Splits CSV text (RFC 4180 quoting) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/**
 * Column meanings from one BIRD `database_description/<table>.csv` (columns
 * original_column_name, column_name, column_description, data_format, value_description).
 */
export function meaningsFromBirdCsv(
  text: string,
  dbId: string,
  table: string,
): Map<string, string> {
  const [header, ...rows] = parseCsv(text);
  const meanings = new Map<string, string>();
  if (!header) return meanings;
  const at = (name: string): number => header.findIndex((h) => h.trim().toLowerCase() === name);
  const original = at('original_column_name');
  const description = at('column_description');
  const values = at('value_description');
  if (original < 0) {
    throw new Error(
      `${table}.csv has no original_column_name column (is it a BIRD description file?)`,
    );
  }
  for (const row of rows) {
    const column = row[original]?.trim();
    if (!column) continue;
    const parts = [row[description]?.trim(), row[values]?.trim()].filter(
      (p): p is string => !!p && p.toLowerCase() !== 'nan',
    );
    if (parts.length) meanings.set(columnMeaningKey(dbId, table, column), parts.join(' | '));
  }
  return meanings;
}
