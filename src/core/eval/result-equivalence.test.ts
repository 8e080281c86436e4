import { describe, expect, it } from 'vitest';
import type { PyRow } from './py-value';
import { birdResultsMatch, spiderResultsMatch } from './result-equivalence';

const bird = (p: PyRow[], g: PyRow[]) => birdResultsMatch(p, g);
const spider = (g: PyRow[], p: PyRow[], order = false) => spiderResultsMatch(g, p, order);

describe('BIRD rule: set(pred) == set(gold)', () => {
  it('ignores duplicates and order, not column order', () => {
    expect(bird([[1n], [1n], [2n]], [[2n], [1n]])).toBe(true);
    expect(bird([[1n, 'a']], [['a', 1n]])).toBe(false);
  });
  it('equates 1 and 1.0, not 1 and "1"', () => {
    expect(bird([[1]], [[1n]])).toBe(true);
    expect(bird([['1']], [[1n]])).toBe(false);
    expect(bird([[1.5]], [[1n]])).toBe(false);
  });
  it('compares NULLs and empty results', () => {
    expect(bird([[null]], [[null]])).toBe(true);
    expect(bird([], [])).toBe(true);
    expect(bird([], [[null]])).toBe(false);
  });
});

describe('Spider rule: result_eq', () => {
  it('bags of rows: duplicates count', () => {
    expect(spider([[1n], [1n], [2n]], [[1n], [2n], [2n]])).toBe(false);
    expect(spider([[1n], [1n], [2n]], [[2n], [1n], [1n]])).toBe(true);
  });
  it('order matters only when asked', () => {
    expect(spider([[1n], [2n]], [[2n], [1n]], false)).toBe(true);
    expect(spider([[1n], [2n]], [[2n], [1n]], true)).toBe(false);
    expect(spider([[1n], [2n]], [[1n], [2n]], true)).toBe(true);
  });
  it('finds a column permutation', () => {
    expect(
      spider(
        [
          [1n, 'a'],
          [2n, 'b'],
        ],
        [
          ['b', 2n],
          ['a', 1n],
        ],
      ),
    ).toBe(true);
    expect(
      spider(
        [
          [1n, 'a'],
          [2n, 'b'],
        ],
        [
          ['a', 2n],
          ['b', 1n],
        ],
      ),
    ).toBe(false);
    const gold: PyRow[] = [
      [1n, 2n, 3n, 4n, 5n],
      [6n, 7n, 8n, 9n, 10n],
    ];
    const pred: PyRow[] = [
      [5n, 4n, 3n, 2n, 1n],
      [10n, 9n, 8n, 7n, 6n],
    ];
    expect(spider(gold, pred, true)).toBe(true);
    // Same columns, but rows recombined: no permutation gives the gold rows.
    expect(
      spider(
        [
          [1n, 'a'],
          [2n, 'b'],
        ],
        [
          [1n, 'b'],
          [2n, 'a'],
        ],
      ),
    ).toBe(false);
  });
  it('wide results with identical columns stay fast', () => {
    const row = Array.from({ length: 12 }, () => 7n);
    const gold: PyRow[] = Array.from({ length: 50 }, () => row);
    const pred: PyRow[] = gold.map((r, i) => (i === 49 ? [...r.slice(0, 11), 8n] : r));
    expect(spider(gold, gold)).toBe(true);
    expect(spider(gold, pred)).toBe(false);
  });
  it('different row or column counts, and empty results', () => {
    expect(spider([], [])).toBe(true);
    expect(spider([[1n]], [])).toBe(false);
    expect(spider([[1n]], [[1n, 2n]])).toBe(false);
  });
  it('1 == 1.0 in rows, but the quick rejection sorts values by str(v)+str(type(v))', () => {
    expect(spider([[1n, 2n]], [[1, 2]])).toBe(true);
    // Ints sort as "10<class 'int'>" < "1<class 'int'>", floats as "1.0…" < "10.0…":
    // the sorted rows differ position-wise, so the official script rejects.
    expect(spider([[1n, 10n]], [[1, 10]])).toBe(false);
    expect(spider([[null, 'x']], [['x', null]])).toBe(true);
  });
});
