import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  decodeUtf8,
  pyBytesRepr,
  pyFloatRepr,
  pyStr,
  rowKey,
  valueKey,
} from './py-value';

describe('Python values', () => {
  it('writes floats as Python repr does', () => {
    // Expected strings are what CPython prints for repr() of these floats.
    const cases: [number, string][] = [
      [1, '1.0'],
      [-0, '-0.0'],
      [0.1, '0.1'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [1.5e-7, '1.5e-07'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [123456789012345680, '1.2345678901234568e+17'],
      [Infinity, 'inf'],
      [-2.5, '-2.5'],
      [1 / 3, '0.3333333333333333'],
    ];
    for (const [x, repr] of cases) expect(pyFloatRepr(x)).toBe(repr);
  });

  it('writes bytes, None and ints as str() does', () => {
    expect(pyBytesRepr(new Uint8Array([0x61, 0x27, 0x62]))).toBe(`b"a'b"`);
    expect(pyBytesRepr(new Uint8Array([0x00, 0xff, 0x0a, 0x5c, 0x27, 0x22]))).toBe(
      `b'\\x00\\xff\\n\\\\\\'"'`,
    );
    expect(pyStr(null)).toBe('None');
    expect(pyStr(12n)).toBe('12');
  });

  it('treats 1 and 1.0 as equal, large ints and floats exactly, str and bytes apart', () => {
    expect(valueKey(1n)).toBe(valueKey(1));
    expect(valueKey(0n)).toBe(valueKey(-0));
    expect(valueKey(9007199254740993n)).not.toBe(valueKey(9007199254740992));
    expect(valueKey('1')).not.toBe(valueKey(1n));
    expect(valueKey('a')).not.toBe(valueKey(new Uint8Array([0x61])));
    expect(valueKey(null)).not.toBe(valueKey('None'));
    expect(rowKey([1n, null])).toBe(rowKey([1, null]));
  });

  it('orders strings by code point like Python', () => {
    // U+FF01 sorts before U+1F600 by code point, after it by UTF-16 unit.
    expect(compareCodePoints('\uff01', '😀')).toBeLessThan(0);
    expect('\uff01' < '😀').toBe(false);
  });

  it('decodes UTF-8 strictly or ignoring bad bytes', () => {
    const bad = new Uint8Array([0xff, 0x41, 0xc3, 0xa9, 0xe2, 0x82]);
    expect(() => decodeUtf8(bad, 'strict')).toThrow(/invalid UTF-8/);
    expect(decodeUtf8(bad, 'ignore')).toBe('Aé');
    expect(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80, 0x42]), 'ignore')).toBe('B');
  });
});
