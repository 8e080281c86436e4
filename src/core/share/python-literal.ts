/**
 * Python `repr` of the values SHARE writes into prompts (str, list, nested list, dict of
 * str). The reference builds prompts with `str.format`, which calls `repr` on list items.
 */
export type PyValue = string | readonly PyValue[] | PyDict;
export interface PyDict {
  readonly [key: string]: string;
}

// Python's str.isprintable(): everything but categories Other (C*) and Separator (Z*),
// except the ASCII space.
const NON_PRINTABLE = /^[\p{C}\p{Z}]$/u;

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** `repr(s)` for a Python 3 str: quote choice, escapes and non-ASCII exactly as CPython. */
export function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === ' ') out += ch;
    else if ((cp >= 0xd800 && cp <= 0xdfff) || NON_PRINTABLE.test(ch)) out += escapeCodePoint(cp);
    else out += ch;
  }
  return out + quote;
}

/** `repr(value)` for str, (nested) lists and dicts of str, as Python prints them. */
export function pyRepr(value: PyValue): string {
  if (typeof value === 'string') return pyStr(value);
  if (Array.isArray(value)) return `[${value.map((v: PyValue) => pyRepr(v)).join(', ')}]`;
  const entries = Object.entries(value as PyDict);
  return `{${entries.map(([k, v]) => `${pyStr(k)}: ${pyStr(v)}`).join(', ')}}`;
}

/**
 * Splits the text of a Python list literal into its top-level item texts, respecting
 * quotes, escapes and nesting; returns undefined when `text` is not one list literal.
 * Used to compare set-ordered lists as multisets without decoding them.
 */
export function splitPyList(text: string): string[] | undefined {
  const s = text.trim();
  if (!s.startsWith('[') || !s.endsWith(']')) return undefined;
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 1;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '{' || ch === '(') depth++;
    else if (ch === ']' || ch === '}' || ch === ')') {
      depth--;
      if (depth === 0 && i !== s.length - 1) return undefined;
    } else if (ch === ',' && depth === 1) {
      items.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (quote || depth !== 0) return undefined;
  const last = s.slice(start, -1).trim();
  if (last !== '' || items.length > 0) items.push(last);
  return items;
}
