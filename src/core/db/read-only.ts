import { tokenizeSql } from '../sql/tokens';
import { QueryRefusedError } from './errors';

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
