/**
 * Token boundaries as Python's `sqlparse` lexer draws them, and its statement splitter,
 * for one purpose: Spider's `remove_distinct`, which keeps the first statement of
 * `sqlparse.parse(s)` and drops every token whose text is `distinct` (any case).
 * Only what decides those two things is modelled: token extents, and which tokens are
 * whitespace, comments, punctuation or keywords.
 */

type Kind = 'ws' | 'newline' | 'comment' | 'mcomment' | 'punct' | 'keyword' | 'other';

export interface SqlToken {
  kind: Kind;
  text: string;
}

// Python's \w, \d and \b under re.UNICODE; JavaScript's are ASCII-only.
const W = '[\\p{L}\\p{N}_]';
const D = '\\p{Nd}';
const B = '(?![\\p{L}\\p{N}_])';
const L = '[A-ZÀ-Ü]';

// The lexer's rules in sqlparse's order (sqlparse/keywords.py SQL_REGEX).
const RULES: [RegExp, Kind][] = (
  [
    [`(--|# )\\+[^\\n]*?(\\r\\n|\\r|\\n|$)`, 'comment'],
    [`(--|# )[^\\n]*?(\\r\\n|\\r|\\n|$)`, 'comment'],
    ['(\\r\\n|\\r|\\n)', 'newline'],
    ['\\s', 'ws'],
    [':=', 'other'],
    ['::', 'punct'],
    ['\\*', 'other'],
    ['`(``|[^`])*`', 'other'],
    ['´(´´|[^´])*´', 'other'],
    ['\\?', 'other'],
    [`%(\\(${W}+\\))?s`, 'other'],
    [`(?<!${W})[$:?]${W}+`, 'other'],
    [`\\\\${W}+`, 'other'],
    [`(CASE|IN|VALUES|USING|FROM|AS)${B}`, 'keyword'],
    [`(@|##|#)${L}${W}+`, 'other'],
    [`${L}${W}*(?=\\s*\\.(?!${D}))`, 'other'],
    [`(?<=\\.)${L}${W}*`, 'other'],
    [`${L}${W}*(?=\\()`, 'other'],
    [`-?0x(${D}|[A-F])+`, 'other'],
    [`-?${D}+(\\.${D}+)?E-?${D}+`, 'other'],
    [`(?![_A-ZÀ-Ü])-?(${D}+(\\.${D}*)|\\.${D}+)(?![_A-ZÀ-Ü])`, 'other'],
    [`(?![_A-ZÀ-Ü])-?${D}+(?![_A-ZÀ-Ü])`, 'other'],
    ["'(''|\\\\'|[^'])*'", 'other'],
    ['"(""|\\\\"|[^"])*"', 'other'],
    ['(""|"[^\\n]*?[^\\\\]")', 'other'],
    [`(?<![\\p{L}\\p{N}_\\])])(\\[[^\\]\\[]+\\])`, 'other'],
    [
      `((LEFT\\s+|RIGHT\\s+|FULL\\s+)?(INNER\\s+|OUTER\\s+|STRAIGHT\\s+)?|(CROSS\\s+|NATURAL\\s+)?)?JOIN${B}`,
      'keyword',
    ],
    [`END(\\s+IF|\\s+LOOP|\\s+WHILE|\\s+FOR|\\s+CASE)?${B}`, 'keyword'],
    [`IF\\s+(NOT\\s+)?EXISTS${B}`, 'keyword'],
    [`NOT\\s+NULL${B}`, 'keyword'],
    [`(ASC|DESC)(\\s+NULLS\\s+(FIRST|LAST))?${B}`, 'keyword'],
    [`NULLS\\s+(FIRST|LAST)${B}`, 'keyword'],
    [`UNION\\s+ALL${B}`, 'keyword'],
    [`CREATE(\\s+OR\\s+REPLACE)?${B}`, 'keyword'],
    [`DOUBLE\\s+PRECISION${B}`, 'other'],
    [`GROUP\\s+BY${B}`, 'keyword'],
    [`ORDER\\s+BY${B}`, 'keyword'],
    [`PRIMARY\\s+KEY${B}`, 'keyword'],
    [`HANDLER\\s+FOR${B}`, 'keyword'],
    [`GO(\\s${D}+)${B}`, 'keyword'],
    [`(LATERAL\\s+VIEW\\s+)(EXPLODE|INLINE|PARSE_URL_TUPLE|POSEXPLODE|STACK)${B}`, 'keyword'],
    [`(AT|WITH')\\s+TIME\\s+ZONE\\s+'[^']+'`, 'keyword'],
    [`(NOT\\s+)?(LIKE|ILIKE|RLIKE)${B}`, 'other'],
    [`(NOT\\s+)?(REGEXP)(\\s+(BINARY))?${B}`, 'other'],
    [`${W}[$#\\p{L}\\p{N}_]*`, 'keyword'],
    ['[;:()\\[\\],\\.]', 'punct'],
    ['(->>?|#>>?|@>|<@|\\?\\|?|\\?&|-|#-)', 'other'],
    ['[<>=~!]+', 'other'],
    ['[+/@#%^&|^-]+', 'other'],
  ] as [string, Kind][]
).map(([source, kind]) => [new RegExp(source, 'iuy'), kind]);

const DOLLAR_OPEN = /\$(?:[_A-ZÀ-Ü][\p{L}\p{N}_]*)?\$/iuy;

/** Splits SQL into tokens the way sqlparse's lexer does (extents and coarse kinds). */
export function sqlparseTokens(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let pos = 0;
  while (pos < text.length) {
    const special = delimited(text, pos);
    if (special) {
      tokens.push(special);
      pos += special.text.length;
      continue;
    }
    let matched = false;
    for (const [re, kind] of RULES) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m || m[0].length === 0) continue;
      tokens.push({ kind, text: m[0] });
      pos += m[0].length;
      matched = true;
      break;
    }
    if (!matched) {
      const ch = String.fromCodePoint(text.codePointAt(pos)!);
      tokens.push({ kind: 'other', text: ch });
      pos += ch.length;
    }
  }
  return tokens;
}

/** A closed `/* … *\/` comment or `$tag$ … $tag$` literal starting at `pos`, if any. */
function delimited(text: string, pos: number): SqlToken | undefined {
  if (text.startsWith('/*', pos)) {
    const end = text.indexOf('*/', pos + 2);
    if (end >= 0) return { kind: 'mcomment', text: text.slice(pos, end + 2) };
    return undefined;
  }
  if (text[pos] === '$' && !/[\p{L}\p{N}_"$]/u.test(text[pos - 1] ?? ' ')) {
    DOLLAR_OPEN.lastIndex = pos;
    const m = DOLLAR_OPEN.exec(text);
    if (m) {
      const end = text.indexOf(m[0], pos + m[0].length);
      if (end >= 0) return { kind: 'other', text: text.slice(pos, end + m[0].length) };
    }
  }
  return undefined;
}

/**
 * The tokens of the first statement of `sqlparse.parse(text)`: up to a `;` outside
 * parentheses, plus the spaces and `--` comments that follow it on the same line.
 */
export function firstStatement(tokens: readonly SqlToken[]): SqlToken[] {
  const out: SqlToken[] = [];
  let level = 0;
  let ended = false;
  for (const token of tokens) {
    if (ended && token.kind !== 'ws' && token.kind !== 'comment') break;
    if (token.kind === 'punct' && token.text === '(') level++;
    else if (token.kind === 'punct' && token.text === ')') level--;
    else if (token.kind === 'keyword' && /^END(\s+(IF|FOR|WHILE))?$/i.test(token.text)) level--;
    out.push(token);
    if (!ended && level <= 0 && token.kind === 'punct' && token.text === ';') ended = true;
  }
  return out;
}
