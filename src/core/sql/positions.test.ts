import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { initSqlParser, parseSql } from './parse';
import { resolvePositions } from './positions';
import { printQuery } from './print';
import { isAggregate } from './walk';

beforeAll(() => initSqlParser());

const resolved = (sql: string) => printQuery(resolvePositions(parseSql(sql)));

describe('resolvePositions', () => {
  it('replaces ORDER BY and GROUP BY positions by the result column, in nested queries too', () => {
    const out = resolved(
      'SELECT a, COUNT(*) AS n FROM t WHERE a IN (SELECT b FROM u GROUP BY 1 ORDER BY 1) GROUP BY 1 ORDER BY 2 DESC, 1',
    );
    expect(out).toBe(
      'SELECT a, COUNT(*) AS n FROM t WHERE a IN (SELECT b FROM u GROUP BY b ORDER BY b) GROUP BY a ORDER BY COUNT(*) DESC, a',
    );
  });

  it('leaves what is not a position as written: other numbers, *, a set operation', () => {
    for (const sql of [
      'SELECT a FROM t ORDER BY 3',
      'SELECT * FROM t ORDER BY 1',
      'SELECT a FROM t ORDER BY 1.0',
      'SELECT a FROM t UNION SELECT b FROM u ORDER BY 1',
    ])
      expect(resolved(sql)).toBe(printQuery(parseSql(sql)));
  });

  it('means what SQLite means: the same rows before and after', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(
      "CREATE TABLE t (a TEXT, b INT); INSERT INTO t VALUES ('x', 1), ('y', 5), ('x', 7), ('z', 2), ('y', 1)",
    );
    const sql = 'SELECT a, SUM(b) FROM t GROUP BY 1 ORDER BY 2 DESC LIMIT 2';
    expect(db.exec(resolved(sql))[0]!.values).toEqual(db.exec(sql)[0]!.values);
    expect(db.exec(sql)[0]!.values).toEqual([
      ['x', 8],
      ['y', 6],
    ]);
    db.close();
  });
});

describe('isAggregate', () => {
  const first = (sql: string) => {
    const b = parseSql(sql).body;
    if (b.k !== 'select') throw new Error('not a select');
    return b.items[0]!.expr;
  };
  it('tells SQLite’s scalar max(a, b) from the aggregate max(a)', () => {
    expect(isAggregate(first('SELECT MAX(a) FROM t'))).toBe(true);
    expect(isAggregate(first('SELECT max(a, b) FROM t'))).toBe(false);
    expect(isAggregate(first('SELECT MIN(a, 3) FROM t'))).toBe(false);
    expect(isAggregate(first("SELECT group_concat(a, ', ') FROM t"))).toBe(true);
    expect(isAggregate(first('SELECT abs(a) FROM t'))).toBe(false);
  });
});
