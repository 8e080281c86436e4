import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffSteps, lcsLength, normalizeStep, srExactlyEqual, stepSimilarity } from './compare';

describe('step comparison', () => {
  it('exact equality ignores surrounding spaces and blank lines only', () => {
    expect(srExactlyEqual('a = 1\n\n  res = a  \n', 'a = 1\nres = a')).toBe(true);
    expect(srExactlyEqual('res = f(a,b)', 'res = f(a, b)')).toBe(false);
  });

  it('normalizes spacing and backticks outside strings only', () => {
    expect(normalizeStep("res = df.select(t.`A B`, 'x  y')")).toBe("res=df.select(t.AB,'x  y')");
    // String delimiters are a quoting variant; what is inside a string is kept as written.
    expect(normalizeStep('f(filter = "a  b")')).toBe(normalizeStep("f(filter = 'a  b')"));
    expect(normalizeStep(`f(filter = "like '2011%'")`)).toBe(`f(filter="like '2011%'")`);
    expect(normalizeStep("f('it\\'s', \"x\")")).toBe("f('it\\'s','x')");
    expect(normalizeStep("f('is NULL')")).not.toBe(normalizeStep("f('is null')"));
  });

  it('similarity is 2·LCS/(|a|+|b|) over steps', () => {
    expect(stepSimilarity('a\nb\nc', 'a\nc')).toBeCloseTo((2 * 2) / 5);
    expect(stepSimilarity('', '')).toBe(1);
    expect(stepSimilarity('a', '')).toBe(0);
  });

  it('LCS is symmetric and bounded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ max: 4, min: 0 })),
        fc.array(fc.integer({ max: 4, min: 0 })),
        (a, b) => {
          const n = lcsLength(a, b);
          expect(n).toBe(lcsLength(b, a));
          expect(n).toBeLessThanOrEqual(Math.min(a.length, b.length));
          expect(lcsLength(a, a)).toBe(a.length);
        },
      ),
    );
  });

  it('a diff keeps common steps and lists the rest', () => {
    const d = diffSteps('a\nb\nc', 'a\nx\nc');
    expect(d).toEqual([
      { op: 'same', line: 'a' },
      { op: 'removed', line: 'b' },
      { op: 'added', line: 'x' },
      { op: 'same', line: 'c' },
    ]);
  });
});
