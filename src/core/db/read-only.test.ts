import { describe, expect, it } from 'vitest';
import { QueryRefusedError } from './errors';
import { checkReadOnly } from './read-only';

describe('checkReadOnly', () => {
  it('accepts one SELECT or WITH statement and drops trailing semicolons', () => {
    expect(checkReadOnly('SELECT 1;')).toBe('SELECT 1');
    expect(checkReadOnly('  select a from t ;; -- done\n')).toBe('  select a from t');
    expect(checkReadOnly('WITH x AS (SELECT 1) SELECT * FROM x')).toBe(
      'WITH x AS (SELECT 1) SELECT * FROM x',
    );
  });

  it.each([
    ['DELETE FROM t', /not DELETE/],
    ["ATTACH 'x.db' AS x", /not ATTACH/],
    ['PRAGMA query_only = OFF', /not PRAGMA/],
    ['WITH x AS (SELECT 1) DELETE FROM t', /found DELETE/],
    ['SELECT 1; DROP TABLE t', /one statement/],
    ['', /no SQL statement/],
  ])('refuses %j', (sql, why) => {
    expect(() => checkReadOnly(sql)).toThrow(QueryRefusedError);
    expect(() => checkReadOnly(sql)).toThrow(why);
  });

  it('ignores keywords inside strings, quoted names and comments', () => {
    expect(checkReadOnly('SELECT \'delete; drop\' AS "update" /* ; insert */ FROM t')).toContain(
      'FROM t',
    );
  });
});
