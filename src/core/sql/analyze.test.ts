import type { Database } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSpiderDb, spiderDev, spiderTables } from '../../../test/support/spider';
import { schemaForDb } from '../schema/from-tables-json';
import { analyzeSql, joinKeysOf } from './analyze';
import { SqlParseError } from './errors';
import { checkSqlSyntax, initSqlParser, parseSql } from './parse';
import { printQuery } from './print';
import { suggestNames } from './suggest';
import {
  checkWithSqlite,
  occursIn,
  type ValueCheck,
  validateSql,
  valueHintsAsync,
} from './validate';

const tables = spiderTables();
const dev = spiderDev();
const schema = schemaForDb(tables, 'concert_singer');
let db: Database;

beforeAll(async () => {
  await initSqlParser();
  db = await openSpiderDb('concert_singer');
});
afterAll(() => db.close());

describe('analyzeSql', () => {
  it('resolves aliases, CTEs, derived tables and correlated subqueries to schema columns', () => {
    const q = parseSql(
      'WITH old AS (SELECT Singer_ID AS sid, Age FROM singer WHERE Age > 40) ' +
        'SELECT T1.concert_Name, o.Age FROM concert AS T1 JOIN singer_in_concert s ON T1.concert_ID = s.concert_ID ' +
        'JOIN old o ON o.sid = s.Singer_ID WHERE EXISTS (SELECT 1 FROM stadium WHERE stadium.Stadium_ID = T1.Stadium_ID)',
    );
    const a = analyzeSql(q, schema);
    expect(a.problems).toEqual([]);
    expect(a.tables).toEqual(['singer', 'concert', 'singer_in_concert', 'stadium']);
    expect(a.columns).toContainEqual(['concert', 'concert_Name']);
    expect(a.columns).toContainEqual(['stadium', 'Stadium_ID']);
    expect(a.columns).toContainEqual(['concert', 'Stadium_ID']);
  });

  it('reports unknown tables and columns with suggestions, and ambiguous columns', () => {
    const a = analyzeSql(
      parseSql(
        'SELECT Nmae, T9.Age FROM singr JOIN singer ON 1 JOIN concert ON 1 WHERE Stadium_ID = 1',
      ),
      schema,
    );
    const byKind = (k: string) => a.problems.filter((p) => p.kind === k);
    expect(byKind('unknown-table').map((p) => [p.name, p.suggestions[0]])).toContainEqual([
      'singr',
      'singer',
    ]);
    expect(byKind('unknown-column').find((p) => p.name === 'Nmae')?.suggestions).toContain('Name');
    expect(byKind('unknown-table').some((p) => p.name === 'T9')).toBe(true);
    expect(suggestNames('Contry', ['Country', 'Name', 'Age'])).toEqual(['Country']);
  });

  it('parses every Spider gold query and prints SQL that SQLite accepts and answers alike', () => {
    const items = dev.filter((d) => d.db_id === 'concert_singer');
    for (const item of items) {
      const q = parseSql(item.query);
      const printed = printQuery(q);
      expect(checkWithSqlite(db, printed)).toEqual({ ok: true });
      expect(JSON.stringify(db.exec(printed))).toBe(JSON.stringify(db.exec(item.query)));
    }
  });
});

describe('validateSql', () => {
  it('confirms validity with SQLite itself and reports its message', () => {
    expect(checkWithSqlite(db, 'SELECT Name FROM singer')).toEqual({ ok: true });
    const bad = checkWithSqlite(db, 'SELECT Nme FROM singer');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/no such column: Nme/);
    expect(checkSqlSyntax('SELEC 1').ok).toBe(false);
    expect(() => parseSql('DELETE FROM singer')).toThrow(SqlParseError);
  });

  it('points a literal to the column where it actually occurs', () => {
    const country = String(db.exec('SELECT Country FROM singer LIMIT 1')[0]!.values[0]![0]);
    const v = validateSql(`SELECT Name FROM singer WHERE Name = '${country}'`, schema, db);
    expect(v.problems).toEqual([]);
    expect(v.valueHints).toHaveLength(1);
    expect(v.valueHints[0]!.foundIn).toContain('singer.Country');
    expect(validateSql('SELECT FROM', schema).syntaxError).toBeDefined();
  });

  it('finds the same hints with lookups answered asynchronously, and none it cannot tell', async () => {
    const country = String(db.exec('SELECT Country FROM singer LIMIT 1')[0]!.values[0]![0]);
    const sql = `SELECT s.Name FROM singer s JOIN concert c WHERE s.Name = '${country}' AND c.Theme = 'nowhere at all'`;
    const asked: ValueCheck[][] = [];
    const hints = await valueHintsAsync(sql, schema, async (checks) => {
      asked.push(checks);
      return checks.map((c) => occursIn(db, c));
    });
    expect(hints).toEqual(validateSql(sql, schema, db).valueHints);
    expect(hints.map((h) => [h.column, h.foundIn])).toEqual([
      ['singer.Name', ['singer.Country']],
      ['concert.Theme', []],
    ]);
    // Batches: the two literals in their columns, then the query's other text columns for
    // both, then the other tables' text columns for the one found nowhere yet.
    expect(asked.map((b) => b.length)).toEqual([2, expect.any(Number), expect.any(Number)]);
    expect(asked[2]!.every((c) => c.value === 'nowhere at all')).toBe(true);
    // A lookup that cannot tell (null) gives no hint: it is not known to be missing.
    expect(await valueHintsAsync(sql, schema, async (checks) => checks.map(() => null))).toEqual(
      [],
    );
    expect(await valueHintsAsync('SELECT FROM', schema, async () => [])).toEqual([]);
  });
});

describe('joinKeysOf', () => {
  it('lists the keys a query joins on, through aliases, in ON and WHERE, subqueries included', () => {
    const keys = joinKeysOf(
      analyzeSql(
        parseSql(
          'SELECT T2.Name FROM singer_in_concert AS T1 JOIN singer AS T2 ON T1.Singer_ID = T2.Singer_ID ' +
            'WHERE T1.concert_ID IN (SELECT c.concert_ID FROM concert c, stadium s ' +
            'WHERE c.Stadium_ID = s.Stadium_ID AND s.Capacity > 100 AND c.Year = s.Capacity) ' +
            'AND T2.Singer_ID = T1.Singer_ID',
        ),
        schema,
      ),
    );
    expect(keys.map((k) => `${k.fromTable}.${k.fromColumn}=${k.toTable}.${k.toColumn}`)).toEqual([
      'singer_in_concert.Singer_ID=singer.Singer_ID',
      'concert.Stadium_ID=stadium.Stadium_ID',
      'concert.Year=stadium.Capacity',
    ]);
  });

  it('marks the keys of outer joins, turned to start from the table whose rows are kept', () => {
    const keys = (sql: string) =>
      joinKeysOf(analyzeSql(parseSql(sql), schema)).map(
        (k) =>
          `${k.fromTable}.${k.fromColumn}=${k.toTable}.${k.toColumn}${k.outer ? ' outer' : ''}`,
      );
    const kept = 'stadium.Stadium_ID=concert.Stadium_ID outer';
    expect(
      keys('SELECT * FROM stadium s LEFT JOIN concert c ON c.Stadium_ID = s.Stadium_ID'),
    ).toEqual([kept]);
    expect(
      keys('SELECT * FROM concert c RIGHT JOIN stadium s ON c.Stadium_ID = s.Stadium_ID'),
    ).toEqual([kept]);
    // With more in the ON than the key, and a plain join beside it.
    expect(
      keys(
        'SELECT * FROM singer_in_concert sc JOIN concert c ON sc.concert_ID = c.concert_ID ' +
          'LEFT JOIN stadium s ON (s.Stadium_ID = c.Stadium_ID AND s.Capacity > 100)',
      ),
    ).toEqual([
      'singer_in_concert.concert_ID=concert.concert_ID',
      'concert.Stadium_ID=stadium.Stadium_ID outer',
    ]);
    // A CTE's column that passes a table's column on stands for it (counts with zeros), on
    // either side of the LEFT JOIN.
    const counts =
      'WITH a AS (SELECT c.Stadium_ID, COUNT(*) AS n FROM concert c JOIN singer_in_concert sc ON sc.concert_ID = c.concert_ID GROUP BY c.Stadium_ID)';
    expect(
      keys(
        `${counts} SELECT s.Name, COALESCE(a.n, 0) FROM stadium s LEFT JOIN a ON a.Stadium_ID = s.Stadium_ID`,
      ),
    ).toEqual(['singer_in_concert.concert_ID=concert.concert_ID', kept]);
    expect(
      keys(
        `${counts} SELECT s.Name, a.n FROM a LEFT JOIN stadium s ON a.Stadium_ID = s.Stadium_ID`,
      ),
    ).toEqual([
      'singer_in_concert.concert_ID=concert.concert_ID',
      'concert.Stadium_ID=stadium.Stadium_ID outer',
    ]);
  });

  it('leaves out a self-join and comparisons with values', () => {
    const keys = joinKeysOf(
      analyzeSql(
        parseSql(
          "SELECT a.Name FROM singer a JOIN singer b ON a.Age = b.Age WHERE a.Country = 'France'",
        ),
        schema,
      ),
    );
    expect(keys).toEqual([]);
  });
});
