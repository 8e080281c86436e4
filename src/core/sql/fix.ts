import type { SchemaProblem } from './analyze';

/** A name or a dot of SQL text; strings, comments, numbers and other symbols are skipped. */
interface Token {
  kind: 'name' | 'dot' | 'other';
  /** The name unquoted (`"First Name"` → `First Name`). */
  value: string;
  /** The quote it is written with (`"`, `` ` ``, `[`), if any. */
  quote?: string;
  start: number;
  end: number;
}

const CLOSING: Record<string, string> = { '"': '"', '`': '`', '[': ']' };

/** Splits SQL into names and dots, skipping what cannot hold a name (strings, comments). */
function tokens(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const start = i;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      i++;
      while (i < sql.length && !(sql[i] === "'" && sql[i + 1] !== "'")) i += sql[i] === "'" ? 2 : 1;
      i++;
      out.push({ kind: 'other', value: '', start, end: i });
    } else if (sql.startsWith('--', i)) {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? sql.length : eol;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (CLOSING[ch]) {
      const close = CLOSING[ch]!;
      let value = '';
      i++;
      while (i < sql.length) {
        if (sql[i] === close && sql[i + 1] === close && close !== ']') {
          value += close;
          i += 2;
        } else if (sql[i] === close) break;
        else value += sql[i++];
      }
      i++;
      out.push({ kind: 'name', value, quote: ch, start, end: i });
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      while (i < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i]!)) i++;
      out.push({ kind: 'name', value: sql.slice(start, i), start, end: i });
    } else if (/[0-9]/.test(ch)) {
      // A number, with its fraction and exponent: `1.5e3` has no dot between names.
      while (i < sql.length && /[0-9.eE]/.test(sql[i]!)) i++;
      out.push({ kind: 'other', value: '', start, end: i });
    } else {
      i++;
      out.push({ kind: ch === '.' ? 'dot' : 'other', value: '', start, end: i });
    }
  }
  return out;
}

/** `name` written as the token was: same quote, or double quotes when it needs them. */
function spelled(name: string, like: Token): string {
  if (like.quote === '[') return `[${name}]`;
  if (like.quote)
    return `${like.quote}${name.replaceAll(like.quote, like.quote + like.quote)}${like.quote}`;
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
  const same = (t: Token | undefined, name: string) =>
    t?.kind === 'name' && t.value.toLowerCase() === name.toLowerCase();

  const list = tokens(sql);
  const edits: Token[] = [];
  list.forEach((t, i) => {
    if (!same(t, ref.name)) return;
    const before = list[i - 1];
    const after = list[i + 1];
    if (ref.as === 'qualifier') {
      if (before?.kind !== 'dot' && after?.kind === 'dot') edits.push(t);
      return;
    }
    if (ref.as === 'table') {
      // The table itself, and uses of its name as a qualifier (`singr.Name`), not a column.
      if (before?.kind !== 'dot' && !(after?.kind === 'other' && sql[after.start] === '('))
        edits.push(t);
      return;
    }
    // A column: preceded by exactly its qualifier (and nothing qualifying that), or by none.
    const n = qualifierParts.length;
    if (n === 0) {
      if (before?.kind !== 'dot' && after?.kind !== 'dot' && sql[after?.start ?? -1] !== '(')
        edits.push(t);
      return;
    }
    const first = i - 2 * n;
    if (first < 0 || list[first - 1]?.kind === 'dot') return;
    for (let k = 0; k < n; k++) {
      if (!same(list[first + 2 * k], qualifierParts[k]!) || list[first + 2 * k + 1]?.kind !== 'dot')
        return;
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
