/**
 * Result values as Python's `sqlite3` returns them, and the parts of Python's semantics the
 * official evaluators depend on: equality and hashing (`1 == 1.0`, equal hashes), `str(x)`
 * and `str(type(x))` (Spider sorts row values by them).
 */

/**
 * One value of a result row: `null` (None), `bigint` (int: SQLite INTEGER), `number` (float:
 * SQLite REAL), `string` (str: TEXT), `Uint8Array` (bytes: BLOB).
 */
export type PyValue = null | bigint | number | string | Uint8Array;

/** One result row, like a Python tuple. */
export type PyRow = readonly PyValue[];

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * A string equal for two values exactly when Python finds them equal (and so hashes them
 * alike): an int and a float are equal when they are the same number.
 */
export function valueKey(v: PyValue): string {
  if (v === null) return 'n';
  if (typeof v === 'bigint') return `i${v}`;
  if (typeof v === 'number') {
    // Python compares int and float exactly; an integral float meets the ints.
    if (Number.isInteger(v)) return `i${BigInt(v)}`;
    return `f${v}`;
  }
  if (typeof v === 'string') return `s${v}`;
  return `b${hex(v)}`;
}

/** A string equal for two rows exactly when Python finds the tuples equal. */
export function rowKey(row: PyRow): string {
  return JSON.stringify(row.map(valueKey));
}

/** Python's `repr(float)` (also its `str`): shortest round-trip digits, Python's layout. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without digits gives the shortest digits that round-trip.
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}

/** Python's `repr(bytes)`, e.g. `b'a\x00'`. */
export function pyBytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const hasDouble = bytes.includes(0x22);
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}${quote}`;
}

/** Python's `str(x)`. */
export function pyStr(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return pyFloatRepr(v);
  if (typeof v === 'string') return v;
  return pyBytesRepr(v);
}

/** Python's `str(type(x))`. */
export function pyTypeStr(v: PyValue): string {
  if (v === null) return "<class 'NoneType'>";
  if (typeof v === 'bigint') return "<class 'int'>";
  if (typeof v === 'number') return "<class 'float'>";
  if (typeof v === 'string') return "<class 'str'>";
  return "<class 'bytes'>";
}

/** Compares strings by code point, as Python does (JavaScript compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only where a surrogate meets a unit above the surrogate range does the order differ.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (x > 0xdfff || y > 0xdfff)) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Decodes UTF-8 as Python does: `strict` throws on invalid bytes, `ignore` drops them. */
export function decodeUtf8(bytes: Uint8Array, errors: 'strict' | 'ignore'): string {
  let ascii = true;
  for (const b of bytes) {
    if (b >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      s += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    return s;
  }
  let out = '';
  let i = 0;
  const cont = (k: number): boolean => k < bytes.length && (bytes[k]! & 0xc0) === 0x80;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let cp = -1;
    let len = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b <= 0xdf && cont(i + 1)) {
      cp = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      len = 2;
    } else if (b >= 0xe0 && b <= 0xef && cont(i + 1) && cont(i + 2)) {
      const c = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      // Overlong forms and surrogates are invalid in Python's decoder.
      if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
        cp = c;
        len = 3;
      }
    } else if (b >= 0xf0 && b <= 0xf4 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
      const c =
        ((b & 0x07) << 18) |
        ((bytes[i + 1]! & 0x3f) << 12) |
        ((bytes[i + 2]! & 0x3f) << 6) |
        (bytes[i + 3]! & 0x3f);
      if (c >= 0x10000 && c <= 0x10ffff) {
        cp = c;
        len = 4;
      }
    }
    if (cp < 0) {
      if (errors === 'strict') throw new Utf8DecodeError(i);
      // With errors="ignore" every invalid byte is dropped; resyncing byte by byte yields
      // the same text as Python dropping maximal invalid subparts.
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += len;
  }
  return out;
}

/** Text that is not valid UTF-8 (Python's default `text_factory` raises on it). */
export class Utf8DecodeError extends Error {
  override name = 'Utf8DecodeError';
  constructor(readonly offset: number) {
    super(`invalid UTF-8 at byte ${offset}`);
  }
}
