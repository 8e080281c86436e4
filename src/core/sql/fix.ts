import type { SchemaProblem } from './analyze';
import { type SqlToken, tokenizeSql } from './tokens';

/** A name of SQL text unquoted (`"First Name"` → `First Name`, `[a]` → `a`); else undefined. */
function nameOf(t: SqlToken | undefined): string | undefined {
  if (t?.kind === 'word') return t.text;
  if (t?.kind !== 'ident') return undefined;
  const close = t.text[0] === '[' ? ']' : t.text[0]!;
  const inner = t.text.endsWith(close) && t.text.length > 1 ? t.text.slice(1, -1) : t.text.slice(1);
  return close === ']' ? inner : inner.replaceAll(close + close, close);
}

/** `name` written as the token was: same quote, or double quotes when it needs them. */
function spelled(name: string, like: SqlToken): string {
  const quote = like.kind === 'ident' ? like.text[0]! : undefined;
  if (quote === '[') return `[${name}]`;
  if (quote) return `${quote}${name.replaceAll(quote, quote + quote)}${quote}`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/**
 * The SQL with a schema problem's wrong name replaced by one of its suggestions, wherever
 * the name is written in that role (a FROM table, a qualifier, a column with the same
 * qualifier); strings and comments are left alone, and so are the quotes the name had.
 * Undefined when the problem has no such fix (an ambiguous column: which uses of it are
 * meant is the user's call) or the name is not found.
 */
export function applySuggestion(
  sql: string,
  problem: SchemaProblem,
  suggestion: string,
): string | undefined {
  if (problem.kind === 'ambiguous-column' || !problem.suggestions.includes(suggestion)) {
    return undefined;
  }
  const { ref } = problem;
  const prefix = ref.qualifier === undefined ? '' : `${ref.qualifier}.`;
  if (!suggestion.startsWith(prefix)) return undefined;
  const replacement = suggestion.slice(prefix.length);
  const qualifierParts = ref.qualifier === undefined ? [] : ref.qualifier.split('.');
  const same = (t: SqlToken | undefined, name: string) =>
    nameOf(t)?.toLowerCase() === name.toLowerCase();
  const isDot = (t: SqlToken | undefined) => t?.kind === 'punct' && t.text === '.';
  const isCall = (t: SqlToken | undefined) => t?.kind === 'punct' && t.text === '(';

  const list = tokenizeSql(sql);
  const edits: SqlToken[] = [];
  list.forEach((t, i) => {
    if (!same(t, ref.name)) return;
    const before = list[i - 1];
    const after = list[i + 1];
    if (ref.as === 'qualifier') {
      if (!isDot(before) && isDot(after)) edits.push(t);
      return;
    }
    if (ref.as === 'table') {
      // The table itself, and uses of its name as a qualifier (`singr.Name`), not a column.
      if (!isDot(before) && !isCall(after)) edits.push(t);
      return;
    }
    // A column: preceded by exactly its qualifier (and nothing qualifying that), or by none.
    const n = qualifierParts.length;
    if (n === 0) {
      if (!isDot(before) && !isDot(after) && !isCall(after)) edits.push(t);
      return;
    }
    const first = i - 2 * n;
    if (first < 0 || isDot(list[first - 1])) return;
    for (let k = 0; k < n; k++) {
      if (!same(list[first + 2 * k], qualifierParts[k]!) || !isDot(list[first + 2 * k + 1])) return;
    }
    edits.push(t);
  });
  if (edits.length === 0) return undefined;
  let out = sql;
  for (const t of edits.reverse()) {
    out = out.slice(0, t.start) + spelled(replacement, t) + out.slice(t.end);
  }
  return out;
}
