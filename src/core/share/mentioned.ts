import { type Schema, type TableColumn, tableColumns } from '../schema/schema';

/**
 * SHARE's "mentioned columns" rule, quirks included (the models were trained on it):
 * the `[table, column]` pairs whose table name AND column name each occur in `text` as a
 * case-sensitive substring. It is substring matching, not parsing: `schools` matches inside
 * `california_schools`, `id` inside `paid`. The reference returns these in Python-set order
 * (arbitrary); we return them in schema order, which is deterministic.
 */
export function mentionedColumns(schema: Schema, text: string): TableColumn[] {
  const tables = new Set(schema.tables.map((t) => t.name).filter((name) => text.includes(name)));
  const columnHits = new Map<string, boolean>();
  const columnIn = (name: string): boolean => {
    let hit = columnHits.get(name);
    if (hit === undefined) {
      hit = text.includes(name);
      columnHits.set(name, hit);
    }
    return hit;
  };
  return tableColumns(schema).filter(([table, column]) => tables.has(table) && columnIn(column));
}

/** `table.column` strings of `pairs`, as the reference writes them into the prompts. */
export function dotted(pairs: readonly TableColumn[]): string[] {
  return pairs.map(([t, c]) => `${t}.${c}`);
}
