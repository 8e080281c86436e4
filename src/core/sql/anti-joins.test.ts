import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHINOOK } from '../../../test/paths';
import { schemaFromSqlite } from '../schema/from-sqlite';
import type { Schema } from '../schema/schema';
import { antiJoinsAsNotIn } from './anti-joins';
import { initSqlParser, parseSql } from './parse';
import { printQuery } from './print';

let schema: Schema;
let rows: (sql: string) => unknown[][];

beforeAll(async () => {
  await initSqlParser();
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(CHINOOK));
  schema = schemaFromSqlite(db, 'chinook');
  rows = (sql) => db.exec(sql)[0]?.values ?? [];
});

const rewrite = (sql: string) => printQuery(antiJoinsAsNotIn(parseSql(sql), schema));

describe('antiJoinsAsNotIn', () => {
  it('says "no matching row" as NOT IN, with the same rows, nested queries included', () => {
    for (const sql of [
      'SELECT ar.Name FROM Artist ar LEFT JOIN Album al ON al.ArtistId = ar.ArtistId WHERE al.AlbumId IS NULL',
      'SELECT ar.Name FROM Artist ar LEFT JOIN Album al ON ar.ArtistId = al.ArtistId WHERE al.ArtistId IS NULL AND ar.Name LIKE ?',
      'SELECT COUNT(*) FROM (SELECT e.EmployeeId FROM Employee e LEFT JOIN Customer c ON c.SupportRepId = e.EmployeeId WHERE c.CustomerId IS NULL)',
    ]) {
      const concrete = sql.replace('?', "'A%'");
      const out = rewrite(concrete);
      expect(out).toContain('NOT IN (SELECT');
      expect(out).not.toContain('LEFT JOIN');
      expect(rows(out)).toEqual(rows(concrete));
      expect(rows(concrete).flat().length).toBeGreaterThan(0);
    }
  });

  it('leaves an outer join that is not "no match" as written', () => {
    for (const sql of [
      // The joined table is read elsewhere.
      'SELECT ar.Name, al.Title FROM Artist ar LEFT JOIN Album al ON al.ArtistId = ar.ArtistId WHERE al.AlbumId IS NULL',
      // A column that may be NULL on a match too.
      'SELECT t.Name FROM Track t LEFT JOIN MediaType m ON m.MediaTypeId = t.MediaTypeId WHERE t.Composer IS NULL',
      // The outer column is not its table's primary key (it may be NULL).
      'SELECT c.FirstName FROM Customer c LEFT JOIN Employee e ON e.EmployeeId = c.SupportRepId WHERE e.EmployeeId IS NULL',
      // Not an outer join.
      'SELECT ar.Name FROM Artist ar JOIN Album al ON al.ArtistId = ar.ArtistId WHERE al.AlbumId IS NULL',
    ])
      expect(rewrite(sql)).toBe(printQuery(parseSql(sql)));
  });
});
