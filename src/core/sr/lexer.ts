/**
 * Tokenizer for SR, the pandas-like action-trajectory language BAM, SAM and LOM write.
 * It is deliberately forgiving: models write column names with spaces unquoted
 * (`frpm.Free Meal Count (K-12)`), backticked, or bracketed, so names after a dot may span
 * several words when a schema (or, lacking one, a conservative heuristic) says so.
 */

export type TokenKind = 'ident' | 'number' | 'string' | 'mask' | 'op' | 'newline' | 'other' | 'eof';

/** One token; `start`/`end` are offsets into the source text, `value` is the unquoted text. */
export interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  start: number;
  end: number;
  /** For identifiers: the quote character used (`` ` `` or `"` for names), if any. */
  quote?: string;
}

/** What the lexer may know about the schema: column and table names, any case. */
export interface SrNames {
  /** Names containing characters outside [A-Za-z0-9_], matched as one identifier after a dot. */
  spaced: string[];
  /** The same names in lower case, grouped by their first character (longest first). */
  byFirst?: Map<string, string[]>;
}

const MASK = '[MASK]';
const OPS = ['**', '//', '==', '!=', '<=', '>=', '<>', '||', '->', ...'()[]{},.=<>+-*/%|&:~;!^@?'];

/** Words that end an unquoted multi-word name (`t.Some Column as alias`). */
const STOP_WORDS = new Set([
  'as',
  'and',
  'or',
  'not',
  'in',
  'is',
  'like',
  'between',
  'desc',
  'asc',
  'if',
  'else',
  'then',
  'when',
  'end',
  'for',
  'by',
  'filter',
  'element',
  'on',
]);

const IDENT_START = /[A-Za-z_\u00C0-\uFFFF]/;
const IDENT_PART = /[A-Za-z0-9_$\u00C0-\uFFFF]/;

/** Builds the lexer's view of schema names from plain name lists. */
export function srNames(names: Iterable<string>): SrNames {
  const spaced = [...new Set([...names].filter((n) => /[^A-Za-z0-9_]/.test(n)))];
  spaced.sort((a, b) => b.length - a.length);
  const byFirst = new Map<string, string[]>();
  for (const n of spaced) {
    const lower = n.toLowerCase();
    const list = byFirst.get(lower[0] ?? '') ?? [];
    list.push(lower);
    byFirst.set(lower[0] ?? '', list);
  }
  return { spaced, byFirst };
}

/** Splits SR text into tokens. Never throws: unknown characters become `other` tokens. */
export function tokenize(src: string, names?: SrNames): Token[] {
  const tokens: Token[] = [];
  const lower = names ? src.toLowerCase() : '';
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string, quote?: string) => {
    const text = src.slice(start, end);
    const token: Token = { kind, text, value: value ?? text, start, end };
    if (quote) token.quote = quote;
    tokens.push(token);
  };
  const afterDot = () => {
    const prev = tokens[tokens.length - 1];
    return prev?.kind === 'op' && prev.text === '.' && prev.end === i;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      push('newline', i, i + 1);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\\') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '[' && afterDot()) {
      // `drivers.[forename]`: a bracket-quoted name, as some masked outputs write it.
      const close = src.indexOf(']', i);
      if (close > i + 1 && !/[,\n[]/.test(src.slice(i + 1, close)) && !src.startsWith(MASK, i)) {
        push('ident', i, close + 1, src.slice(i + 1, close), '[');
        i = close + 1;
        continue;
      }
    }
    if (src.startsWith(MASK, i)) {
      push('mask', i, i + MASK.length);
      i += MASK.length;
      continue;
    }
    if (names && (afterDot() || isWordStart(src, i))) {
      const candidates = names.byFirst
        ? (names.byFirst.get(lower[i] ?? '') ?? [])
        : names.spaced.map((n) => n.toLowerCase());
      const hit = candidates.find(
        (n) => lower.startsWith(n, i) && !IDENT_PART.test(src[i + n.length] ?? ' '),
      );
      if (hit) {
        push('ident', i, i + hit.length);
        i += hit.length;
        continue;
      }
    }
    if (c === '`') {
      const close = src.indexOf('`', i + 1);
      const end = close < 0 ? src.length : close + 1;
      push('ident', i, end, src.slice(i + 1, close < 0 ? src.length : close), '`');
      i = end;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = scanString(src, i);
      const raw = src.slice(i, end);
      const triple = raw.startsWith(c.repeat(3)) && raw.length >= 6;
      const body = triple ? raw.slice(3, -3) : raw.slice(1, raw.endsWith(c) ? -1 : undefined);
      push('string', i, end, unescapeString(body), c);
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? '') && !afterWord(tokens, i))) {
      let j = i;
      while (j < src.length && /[0-9._eE]/.test(src[j]!)) {
        if ((src[j] === 'e' || src[j] === 'E') && /[+-]/.test(src[j + 1] ?? '')) j++;
        j++;
      }
      // A number glued to letters (`2nd`, `1e`) reads as a name part in the models' SR.
      if (IDENT_START.test(src[j] ?? '') && afterDot()) {
        while (j < src.length && IDENT_PART.test(src[j]!)) j++;
        push('ident', i, j);
      } else push('number', i, j);
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      // `max_[MASK]`: a name the masking model cut into; keep it one name.
      while (src.startsWith(MASK, j)) {
        j += MASK.length;
        while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      }
      if (afterDot()) j = extendName(src, j);
      push('ident', i, j);
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      push('op', i, i + op.length);
      i += op.length;
      continue;
    }
    push('other', i, i + 1);
    i++;
  }
  push('eof', src.length, src.length);
  return tokens;
}

function isWordStart(src: string, i: number): boolean {
  return i === 0 || !IDENT_PART.test(src[i - 1]!);
}

function afterWord(tokens: Token[], i: number): boolean {
  const prev = tokens[tokens.length - 1];
  return prev !== undefined && prev.end === i && (prev.kind === 'ident' || prev.kind === 'number');
}

/**
 * Extends a name read after a dot over words that cannot be anything but more of the name:
 * `Free Meal Count (K-12)`, `T-CHO`. A following keyword, operator, comma or call ends it.
 */
function extendName(src: string, j: number): number {
  for (;;) {
    // Hyphenated names glued together (`T-CHO`), but not `a.b-c.d` (a subtraction).
    const hyphen = /^-[A-Za-z][A-Za-z0-9_]*/.exec(src.slice(j));
    if (hyphen && src[j + hyphen[0].length] !== '.' && src[j + hyphen[0].length] !== '(') {
      j += hyphen[0].length;
      continue;
    }
    const rest = src.slice(j);
    const word = /^ ([A-Za-z_][A-Za-z0-9_%/-]*)/.exec(rest);
    if (word && !STOP_WORDS.has(word[1]!.toLowerCase())) {
      const after = rest[word[0].length] ?? '';
      // `t.col name(` would be a call on a name: not part of a column name.
      if (after === '(' || after === '.' || after === '=' || after === "'") return j;
      const next = /^ *(\S)/.exec(rest.slice(word[0].length));
      const follow = next?.[1] ?? '';
      if (follow === '' || /[,)\](]/.test(follow) || /[A-Za-z]/.test(follow)) {
        j += word[0].length;
        continue;
      }
      return j;
    }
    const group = /^ \([^(),=']{1,30}\)/.exec(rest);
    if (group && /[A-Za-z0-9%]/.test(group[0])) {
      const follow = /^ *(\S|$)/.exec(rest.slice(group[0].length))?.[1] ?? '';
      if (follow === '' || /[,)\]]/.test(follow) || /[A-Za-z`]/.test(follow)) {
        j += group[0].length;
        continue;
      }
    }
    return j;
  }
}

/** End offset of a string literal starting at `i` (unterminated strings end at the line end). */
function scanString(src: string, i: number): number {
  const q = src[i]!;
  if (src.startsWith(q.repeat(3), i)) {
    const close = src.indexOf(q.repeat(3), i + 3);
    return close < 0 ? src.length : close + 3;
  }
  let j = i + 1;
  while (j < src.length) {
    const c = src[j]!;
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (c === q) {
      // SQL-style doubled quote inside a string: '' stays part of the string.
      if (src[j + 1] === q && /[A-Za-z ]/.test(src[j + 2] ?? '')) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    if (c === '\n') return j;
    j++;
  }
  return j;
}

function unescapeString(body: string): string {
  return body.replace(/\\(.)/g, '$1');
}
