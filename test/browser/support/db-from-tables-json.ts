import type { SqlJsStatic } from 'sql.js';
import type { TablesJsonEntry } from '../../../src/core/schema/from-tables-json';

const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * An empty SQLite database with the tables, columns (in order, with their types), primary
 * keys and foreign keys of a Spider/BIRD `tables.json` entry, as file bytes.
 */
export function sqliteFromTablesJson(SQL: SqlJsStatic, entry: TablesJsonEntry): Uint8Array {
  const db = new SQL.Database();
  const cols = entry.column_names_original;
  const pks = new Map<number, string[]>();
  for (const pk of entry.primary_keys ?? []) {
    const indices = Array.isArray(pk) ? pk : [pk];
    const table = cols[indices[0]!]![0];
    pks.set(table, [...(pks.get(table) ?? []), ...indices.map((i) => cols[i]![1])]);
  }
  entry.table_names_original.forEach((table, t) => {
    const defs = cols
      .map(([ti, name], i) => ({ ti, name, type: entry.column_types?.[i] ?? '' }))
      .filter((c) => c.ti === t)
      .map((c) => `${q(c.name)} ${c.type}`.trim());
    const pk = pks.get(t);
    if (pk?.length) defs.push(`PRIMARY KEY (${pk.map(q).join(', ')})`);
    for (const [from, to] of entry.foreign_keys ?? []) {
      if (cols[from]![0] !== t) continue;
      const target = entry.table_names_original[cols[to]![0]]!;
      defs.push(`FOREIGN KEY (${q(cols[from]![1])}) REFERENCES ${q(target)} (${q(cols[to]![1])})`);
    }
    db.run(`CREATE TABLE ${q(table)} (${defs.join(', ')})`);
  });
  const bytes = db.export();
  db.close();
  return bytes;
}
