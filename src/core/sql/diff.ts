import {
  cleanupSemantic,
  DIFF_DELETE,
  DIFF_EQUAL,
  DIFF_INSERT,
  type Diff,
  makeDiff,
} from '@sanity/diff-match-patch';
import { type SqlToken, tokenizeSql } from './tokens';

/**
 * A piece of an SQL diff. `same` and `added` pieces are the text of the new SQL, spacing and
 * comments included, so that joining them gives it back exactly; `removed` pieces are runs of
 * the old SQL's text that are gone, to be shown between them.
 */
export interface SqlDiffPart {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * What a token means, for telling whether it changed: unquoted words and quoted names by name
 * regardless of case and quotes (`Name`, `"name"` and `` `NAME` `` are one name in SQLite),
 * strings, numbers and punctuation as written.
 */
function meaning(token: SqlToken): string {
  if (token.kind === 'word') return `n:${token.text.toLowerCase()}`;
  if (token.kind === 'ident') {
    const unquoted = token.text.slice(1, -1).replace(/""|``/g, (q) => q[0]!);
    return `n:${unquoted.toLowerCase()}`;
  }
  return `${token.kind}:${token.text}`;
}

/** One character per distinct token meaning (CJK block: no surrogates, 20,992 of them). */
const FIRST = 0x4e00;
const VOCABULARY = 0x9fff - FIRST + 1;

/**
 * The change from `before` to `after` token by token: layout, case, quotes around names and
 * comments are not changes, so a query the generator only reformatted shows none, and one it
 * rewrote shows the words it added and removed in the new query's own layout. The edit is
 * diff-match-patch's over tokens, with its semantic cleanup, so that a rewritten clause reads
 * as one removed and one added run rather than as scraps of common commas and keywords.
 */
export function diffSql(before: string, after: string): SqlDiffPart[] {
  const old = tokenizeSql(before);
  const now = tokenizeSql(after);
  const meanings = [...new Set([...old, ...now].map(meaning))];
  const code = new Map(meanings.map((m, k) => [m, String.fromCharCode(FIRST + k)]));
  const encode = (tokens: SqlToken[]) => tokens.map((t) => code.get(meaning(t))).join('');
  const a = encode(old);
  const b = encode(now);
  const edits: Diff[] =
    meanings.length > VOCABULARY
      ? [
          [DIFF_DELETE, a],
          [DIFF_INSERT, b],
        ] // more distinct tokens than characters to stand for them: everything changed
      : cleanupSemantic(makeDiff(a, b, { checkLines: false }));

  const parts: SqlDiffPart[] = [];
  const push = (op: SqlDiffPart['op'], text: string) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last?.op === op) last.text += text;
    else parts.push({ op, text });
  };
  let i = 0; // tokens of `before` used
  let j = 0; // tokens of `after` used
  let at = 0; // characters of `after` out
  let removed: string | undefined; // a removed run waiting for the next token of `after`
  for (const [op, text] of edits) {
    const n = text.length;
    if (n === 0) continue;
    if (op === DIFF_DELETE) {
      const run = before.slice(old[i]!.start, old[i + n - 1]!.end);
      removed = removed === undefined ? run : `${removed} ${run}`;
      i += n;
      continue;
    }
    // The spacing before the run belongs to the new SQL. A removed run goes after it, or
    // before it when it breaks the line: at the end of the line the run was taken from.
    const first = now[j]!;
    const gap = after.slice(at, first.start);
    if (removed !== undefined && gap.includes('\n')) push('removed', removed);
    push('same', gap);
    if (removed !== undefined && !gap.includes('\n')) push('removed', removed);
    removed = undefined;
    const end = now[j + n - 1]!.end;
    push(op === DIFF_EQUAL ? 'same' : 'added', after.slice(first.start, end));
    if (op === DIFF_EQUAL) i += n;
    j += n;
    at = end;
  }
  if (removed !== undefined) push('removed', removed);
  push('same', after.slice(at));
  return parts;
}
