import { describe, expect, it } from 'vitest';
import { pyRepr, pyStr, splitPyList } from './python-literal';

// Expected values were produced by CPython 3.11's repr() on the same inputs.
const STR_CASES: [string, string][] = [
  ['plain', "'plain'"],
  ["it's", `"it's"`],
  ['say "hi"', `'say "hi"'`],
  [`both ' and "`, `'both \\' and "'`],
  ['back\\slash', "'back\\\\slash'"],
  ['tab\there', "'tab\\there'"],
  ['new\nline', "'new\\nline'"],
  ['cr\rx', "'cr\\rx'"],
  ['\u0000\u0007\u001f\u007f', "'\\x00\\x07\\x1f\\x7f'"],
  ['café', "'café'"],
  ['\u00a0nbsp', "'\\xa0nbsp'"],
  ['\u200bzw', "'\\u200bzw'"],
  ['emoji 😀', "'emoji 😀'"],
  ['\u2028ls', "'\\u2028ls'"],
  ['日本語', "'日本語'"],
  ['`Free Meal Count (K-12)`', "'`Free Meal Count (K-12)`'"],
  ['\u0085', "'\\x85'"],
  ['\u{e0001}tag', "'\\U000e0001tag'"],
  ['\ufeffbom', "'\\ufeffbom'"],
  ['\u0301comb', "'\u0301comb'"],
];

describe('pyStr', () => {
  it.each(STR_CASES)('repr(%j) = %s', (input, expected) => {
    expect(pyStr(input)).toBe(expected);
  });

  it('escapes a lone surrogate as Python shows it', () => {
    expect(pyStr('\ud800')).toBe("'\\ud800'");
  });
});

describe('pyRepr', () => {
  it('writes nested lists and picks quotes per item', () => {
    expect(
      pyRepr([
        ['a', 'b'],
        ["c'd", 'e'],
      ]),
    ).toBe(`[['a', 'b'], ["c'd", 'e']]`);
  });

  it('writes dicts in insertion order', () => {
    expect(pyRepr({ 'a.b': 'c.d', "x'y": 'z' })).toBe(`{'a.b': 'c.d', "x'y": 'z'}`);
  });

  it('writes empty containers', () => {
    expect(pyRepr([])).toBe('[]');
    expect(pyRepr({})).toBe('{}');
  });
});

describe('splitPyList', () => {
  it('splits top-level items, respecting quotes, escapes and nesting', () => {
    const text = pyRepr([['a, b', "c']"], ['d', 'e\\'], "f'g"]);
    expect(splitPyList(text)).toEqual([
      pyRepr(['a, b', "c']"]),
      pyRepr(['d', 'e\\']),
      pyRepr("f'g"),
    ]);
  });

  it('returns [] for an empty list and undefined for non-lists', () => {
    expect(splitPyList('[]')).toEqual([]);
    expect(splitPyList("['a'] + ['b']")).toBeUndefined();
    expect(splitPyList("['unterminated]")).toBeUndefined();
    expect(splitPyList('not a list')).toBeUndefined();
  });
});
