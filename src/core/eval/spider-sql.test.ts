import { describe, expect, it } from 'vitest';
import { orderMatters, removeDistinct, replaceCurYear, spiderQueries } from './spider-sql';

describe('Spider query preparation', () => {
  it('drops DISTINCT tokens, not words that contain it or strings', () => {
    expect(removeDistinct('SELECT DISTINCT a FROM t')).toBe('SELECT  a FROM t');
    expect(removeDistinct('select count(distinct x) from t')).toBe('select count( x) from t');
    expect(removeDistinct('SELECT \'distinct\', "distinct", distinct_id FROM t')).toBe(
      'SELECT \'distinct\', "distinct", distinct_id FROM t',
    );
    expect(removeDistinct('SELECT DISTINCT(a) FROM t')).toBe('SELECT (a) FROM t');
  });
  it('keeps only the first statement, with what follows its ; on the same line', () => {
    expect(removeDistinct('SELECT 1; SELECT 2')).toBe('SELECT 1; ');
    expect(removeDistinct('SELECT 1; -- c\nSELECT 2')).toBe('SELECT 1; -- c\n');
    expect(removeDistinct("SELECT 'a;b' ; SELECT 3")).toBe("SELECT 'a;b' ; ");
  });
  it('detects order by on the gold query only, after preparation', () => {
    expect(orderMatters('SELECT a FROM t ORDER BY a')).toBe(true);
    expect(orderMatters('SELECT a FROM t ORDER  BY a')).toBe(false);
    const q = spiderQueries('SELECT a FROM t ORDER BY a', 'SELECT a FROM t');
    expect(q.orderMatters).toBe(false);
  });
  it('repairs split operators, plugs value, replaces YEAR(CURDATE())', () => {
    const q = spiderQueries(
      'SELECT a FROM t WHERE b > = value ',
      'SELECT a FROM t WHERE b ! = 1',
      true,
    );
    expect(q.pred).toBe('SELECT a FROM t WHERE b >= 1 ');
    expect(q.gold).toBe('SELECT a FROM t WHERE b != 1');
    expect(replaceCurYear('SELECT YEAR ( CURDATE ( ) ) - age')).toBe('SELECT 2020- age');
  });
});
