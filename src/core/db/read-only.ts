import { QueryRefusedError } from './errors';

interface Token {
  kind: 'word' | 'punct' | 'string' | 'ident';
  text: string;
}

/** Splits SQL into words, quoted names, strings and punctuation; comments are dropped. */
export function tokenizeSql(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(close, j);
        if (k < 0) {
          j = n;
          break;
        }
        // A doubled quote is an escaped quote, except inside [brackets].
        if (close !== ']' && sql[k + 1] === close) {
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      tokens.push({ kind: c === "'" ? 'string' : 'ident', text: sql.slice(i, j) });
      i = j;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'word', text: sql.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return tokens;
}

// A statement that starts with SELECT or VALUES cannot write; one that starts with WITH
// can, when its CTEs lead to INSERT, UPDATE, DELETE or REPLACE. Other keywords are not
// checked: SQLite accepts many as names (`begin`, `end`, `release`), CASE ends in END, and
// replace() is a function.
const WITH_WRITE_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);

/**
 * Checks that `sql` is exactly one SELECT or WITH … SELECT statement (a trailing `;` is
 * allowed) and returns it without the trailing semicolons; throws QueryRefusedError saying
 * why otherwise. `PRAGMA query_only` stays the backstop for anything this misses.
 */
export function checkReadOnly(sql: string): string {
  const tokens = tokenizeSql(sql);
  while (tokens.length > 0 && tokens[tokens.length - 1]!.text === ';') tokens.pop();
  if (tokens.length === 0) throw new QueryRefusedError('there is no SQL statement to run');
  const first = tokens[0]!;
  const firstWord = first.kind === 'word' ? first.text.toUpperCase() : first.text;
  if (firstWord !== 'SELECT' && firstWord !== 'WITH' && firstWord !== 'VALUES') {
    throw new QueryRefusedError(
      `only a read-only SELECT or WITH statement may run here, not ${firstWord}`,
    );
  }
  let depth = 0;
  for (const [i, token] of tokens.entries()) {
    if (token.kind === 'punct') {
      if (token.text === '(') depth++;
      else if (token.text === ')') depth--;
      else if (token.text === ';') {
        throw new QueryRefusedError('only one statement may run at a time (found a ";" inside)');
      }
    } else if (token.kind === 'word' && depth === 0 && firstWord === 'WITH') {
      const word = token.text.toUpperCase();
      if (WITH_WRITE_WORDS.has(word) && tokens[i + 1]?.text !== '(') {
        throw new QueryRefusedError(`only read-only statements may run here (found ${word})`);
      }
    }
  }
  let end = sql.length;
  // Drop trailing semicolons (and what follows them: only blanks and comments).
  const lastSemicolon = sql.lastIndexOf(';');
  if (lastSemicolon >= 0 && tokenizeSql(sql.slice(lastSemicolon)).every((t) => t.text === ';')) {
    end = lastSemicolon;
    while (end > 0 && /[\s;]/.test(sql[end - 1]!)) end--;
  }
  return sql.slice(0, end);
}
