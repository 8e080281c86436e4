import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { moreRowsThanSql, valueLookupSql } from './profile-sql';

describe('bounded value lookups', () => {
  it('find a value within the bound, and tell a longer table from a shorter one', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(`CREATE TABLE "a""b" ("c d" TEXT, n INTEGER);
      INSERT INTO "a""b" VALUES ('x', 1), ('y', 2), ('z', 3), ('w', 4);`);
    const finds = (value: string, bound: number) =>
      (db.exec(valueLookupSql('a"b', 'c d', bound), [value])[0]?.values.length ?? 0) > 0;
    expect(finds('y', 10)).toBe(true);
    expect(finds('q', 10)).toBe(false);
    // Only the first `bound` rows are scanned.
    expect(finds('w', 3)).toBe(false);
    expect(finds('w', 4)).toBe(true);
    // The column's affinity applies as in `WHERE column = ?`: '2' finds the integer 2.
    expect((db.exec(valueLookupSql('a"b', 'n', 10), ['2'])[0]?.values.length ?? 0) > 0).toBe(true);
    const longer = (bound: number) => db.exec(moreRowsThanSql('a"b', bound))[0]!.values[0]![0];
    expect(longer(3)).toBe(1);
    expect(longer(4)).toBe(0);
    db.close();
  });
});
