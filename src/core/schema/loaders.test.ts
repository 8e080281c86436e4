import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHINOOK, SPIDER } from '../../../test/paths';
import { loadSqlJs, openSqliteFile } from '../../../test/support/sqljs';
import { parseColumnMeanings } from './column-meaning';
import { SchemaError } from './errors';
import { schemaFromSqlite } from './from-sqlite';
import { schemaForDb, schemaFromTablesJson, type TablesJsonEntry } from './from-tables-json';

describe('schemaFromSqlite on real databases', () => {
  it('reads Chinook: 11 tables in creation order, types, keys', async () => {
    const db = await openSqliteFile(CHINOOK);
    const schema = schemaFromSqlite(db, 'chinook');
    expect(schema.tables.map((t) => t.name)).toEqual([
      'Album',
      'Artist',
      'Customer',
      'Employee',
      'Genre',
      'Invoice',
      'InvoiceLine',
      'MediaType',
      'Playlist',
      'PlaylistTrack',
      'Track',
    ]);
    const track = schema.tables.find((t) => t.name === 'Track')!;
    expect(track.columns.map((c) => c.name)).toEqual([
      'TrackId',
      'Name',
      'AlbumId',
      'MediaTypeId',
      'GenreId',
      'Composer',
      'Milliseconds',
      'Bytes',
      'UnitPrice',
    ]);
    expect(track.columns[8]!.type).toBe('NUMERIC(10,2)');
    expect(track.primaryKey).toEqual(['TrackId']);
    expect(schema.tables.find((t) => t.name === 'PlaylistTrack')!.primaryKey).toEqual([
      'PlaylistId',
      'TrackId',
    ]);
    expect(schema.foreignKeys).toContainEqual({
      fromTable: 'Track',
      fromColumn: 'AlbumId',
      toTable: 'Album',
      toColumn: 'AlbumId',
    });
    expect(schema.foreignKeys).toContainEqual({
      fromTable: 'Employee',
      fromColumn: 'ReportsTo',
      toTable: 'Employee',
      toColumn: 'EmployeeId',
    });
    db.close();
  });

  const tablesJson = JSON.parse(
    readFileSync(join(SPIDER, 'tables.json'), 'utf8'),
  ) as TablesJsonEntry[];
  const dbs = readdirSync(join(SPIDER, 'database'));

  it('finds the Spider dev databases', () => {
    expect(dbs.length).toBeGreaterThanOrEqual(10);
  });

  it.each(dbs)('agrees with tables.json on Spider database %s', async (dbId) => {
    const db = await openSqliteFile(join(SPIDER, 'database', dbId, `${dbId}.sqlite`));
    const live = schemaFromSqlite(db, dbId);
    const declared = schemaForDb(tablesJson, dbId);
    // Spider's tables.json lists SQLite's internal sqlite_sequence for some databases; the
    // loader leaves internal tables out, as users never query them.
    const names = (s: typeof live) =>
      s.tables
        .filter((t) => !t.name.startsWith('sqlite_'))
        .map((t) => `${t.name}(${t.columns.map((c) => c.name).join(',')})`.toLowerCase())
        .sort();
    expect(names(live)).toEqual(names(declared));
    // Every foreign key the database declares points at a real table and column.
    for (const fk of live.foreignKeys) {
      const target = live.tables.find((t) => t.name.toLowerCase() === fk.toTable.toLowerCase());
      expect(target, `${fk.fromTable}.${fk.fromColumn} -> ${fk.toTable}`).toBeDefined();
      expect(target!.columns.map((c) => c.name.toLowerCase())).toContain(fk.toColumn.toLowerCase());
    }
    db.close();
  });

  it('resolves a foreign key without a column list to the target primary key', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE "my table" (k1 INT, k2 TEXT, PRIMARY KEY (k1, k2));');
    db.run('CREATE TABLE child (a INT, b TEXT, FOREIGN KEY (a, b) REFERENCES "my table");');
    const schema = schemaFromSqlite(db, 'x');
    expect(schema.foreignKeys).toEqual([
      { fromTable: 'child', fromColumn: 'a', toTable: 'my table', toColumn: 'k1' },
      { fromTable: 'child', fromColumn: 'b', toTable: 'my table', toColumn: 'k2' },
    ]);
    db.close();
  });
});

describe('schemaFromTablesJson', () => {
  it('keeps declared order and resolves keys by index', () => {
    const s = schemaFromTablesJson({
      db_id: 'x',
      table_names_original: ['a', 'b'],
      column_names_original: [
        [-1, '*'],
        [0, 'id'],
        [1, 'a_id'],
        [1, 'v'],
      ],
      column_types: ['text', 'number', 'number', 'text'],
      primary_keys: [1, [2, 3]],
      foreign_keys: [[2, 1]],
    });
    expect(s.tables).toEqual([
      { name: 'a', columns: [{ name: 'id', type: 'number' }], primaryKey: ['id'] },
      {
        name: 'b',
        columns: [
          { name: 'a_id', type: 'number' },
          { name: 'v', type: 'text' },
        ],
        primaryKey: ['a_id', 'v'],
      },
    ]);
    expect(s.foreignKeys).toEqual([
      { fromTable: 'b', fromColumn: 'a_id', toTable: 'a', toColumn: 'id' },
    ]);
  });

  it('names the database and the bad index in its errors', () => {
    expect(() =>
      schemaFromTablesJson({
        db_id: 'x',
        table_names_original: ['a'],
        column_names_original: [[5, 'c']],
      }),
    ).toThrow(/"x".*table index 5/);
    expect(() => schemaForDb([], 'nope')).toThrow(SchemaError);
  });
});

describe('parseColumnMeanings', () => {
  it('reads db|table|column keys and rejects non-string values', () => {
    const m = parseColumnMeanings('{"d|t|c": "#text"}');
    expect(m.get('d|t|c')).toBe('#text');
    expect(() => parseColumnMeanings('{"d|t|c": 1}')).toThrow(/"d\|t\|c"/);
    expect(() => parseColumnMeanings('[')).toThrow(SchemaError);
  });
});
