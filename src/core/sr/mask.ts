import { type Token, tokenize } from './lexer';
import { isColumnName, isTableName, type SchemaIndex, unquoteName } from './schema-names';

export const MASK_TOKEN = '[MASK]';

/** One schema reference replaced by `[MASK]`. */
export interface MaskedReference {
  /** The reference as written in the input (`schools.County`, `` frpm.`Low Grade` ``). */
  text: string;
  /** Offset of the reference in the input. */
  start: number;
  /** Offset of its `[MASK]` in the masked text. */
  maskedAt: number;
}

/** SR with every schema reference masked, and what was masked where. */
export interface MaskResult {
  masked: string;
  references: MaskedReference[];
}

/** Words of SR that are never schema references, whatever the schema calls its columns. */
const SR_WORDS = new Set([
  'df',
  'res',
  'desc',
  'asc',
  'and',
  'or',
  'not',
  'in',
  'is',
  'like',
  'null',
  'none',
  'true',
  'false',
  'as',
  'distinct',
  'lambda',
  'if',
  'else',
  'between',
]);

/** Names the models give their frames (`df3`, `tmp_res1`), even before assigning them. */
const VARIABLE_NAME = /^(df|tmp_res|res)\d*$/;

interface Span {
  start: number;
  end: number;
}

/**
 * Replaces every schema reference in SR by `[MASK]` and changes nothing else: qualified
 * columns in any quoting (`t.c`, `` t.`c d` ``, `t.c d`, `t.*`), bare column and table
 * names, and qualified columns inside string filters (`'> 0.3 * t.c'`). Variables, keyword
 * argument names, function and method names, aliases and literal values stay as written.
 */
export function maskSr(sr: string, index: SchemaIndex): MaskResult {
  const spans = referenceSpans(sr, index, 0);
  spans.sort((a, b) => a.start - b.start);
  let masked = '';
  let at = 0;
  const references: MaskedReference[] = [];
  for (const span of spans) {
    if (span.start < at) continue;
    masked += sr.slice(at, span.start);
    references.push({
      text: sr.slice(span.start, span.end),
      start: span.start,
      maskedAt: masked.length,
    });
    masked += MASK_TOKEN;
    at = span.end;
  }
  masked += sr.slice(at);
  return { masked, references };
}

/** Puts the references back into a masked SR: the inverse of `maskSr`. */
export function unmaskSr(result: MaskResult): string {
  let out = '';
  let at = 0;
  for (const ref of result.references) {
    if (result.masked.slice(ref.maskedAt, ref.maskedAt + MASK_TOKEN.length) !== MASK_TOKEN) {
      throw new Error(`no ${MASK_TOKEN} at offset ${ref.maskedAt} of the masked text`);
    }
    out += result.masked.slice(at, ref.maskedAt) + ref.text;
    at = ref.maskedAt + MASK_TOKEN.length;
  }
  return out + result.masked.slice(at);
}

/** Schema references left in SR text (for checking that a masking is complete). */
export function schemaReferencesIn(sr: string, index: SchemaIndex): string[] {
  return referenceSpans(sr, index, 0).map((s) => sr.slice(s.start, s.end));
}

function referenceSpans(text: string, index: SchemaIndex, base: number): Span[] {
  const tokens = tokenize(text, index.lexerNames);
  const variables = assignedNames(tokens);
  const spans: Span[] = [];
  const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.text === op;
  const glued = (a: Token | undefined, b: Token | undefined) => !!a && !!b && a.end === b.start;
  // The brackets open at each token: `name =` names an argument only inside a call's
  // parentheses; in a list or a set (`on = [t.a, extra_type = 'wide']`) it is a comparison.
  const open: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'op' && '([{'.includes(t.text)) open.push(t.text);
    else if (t.kind === 'op' && ')]}'.includes(t.text)) open.pop();
    if (t.kind === 'string') {
      // Only qualified names inside strings: bare words there are values ('Active').
      const inner = t.quote && t.text.length >= 2 ? t.text.slice(1, -1) : '';
      for (const s of qualifiedSpans(inner, index)) {
        spans.push({ start: base + t.start + 1 + s.start, end: base + t.start + 1 + s.end });
      }
      continue;
    }
    if (t.kind !== 'ident') continue;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (isOp(prev, '.') && glued(prev, t)) continue; // handled with its qualifier
    const lower = unquoteName(t.value).toLowerCase();
    if (isOp(next, '.') && glued(t, next)) {
      const member = tokens[i + 2];
      const afterMember = tokens[i + 3];
      const memberIsName = glued(next, member) && (member?.kind === 'ident' || isOp(member, '*'));
      if (!memberIsName) continue;
      const isCall = isOp(afterMember, '(') && glued(member, afterMember);
      const variable = variables.has(lower) || VARIABLE_NAME.test(lower);
      if (variable) {
        // `df1.client_id`: the column is a reference, the variable is not.
        if (!isCall && member!.kind === 'ident' && isColumnName(index, member!.value)) {
          spans.push({ start: base + member!.start, end: base + member!.end });
        }
        i += 2;
        continue;
      }
      if (isCall) {
        // `schools.count()`: a method called on a table.
        if (isTableName(index, t.value)) spans.push({ start: base + t.start, end: base + t.end });
        i += 2;
        continue;
      }
      const memberName = member!.kind === 'ident' ? member!.value : '*';
      if (isTableName(index, t.value) || (memberName !== '*' && isColumnName(index, memberName))) {
        spans.push({ start: base + t.start, end: base + member!.end });
      }
      i += 2;
      continue;
    }
    if (SR_WORDS.has(lower) && !t.quote) continue;
    if (variables.has(lower)) continue;
    if (isOp(next, '(') && glued(t, next)) continue; // a function name
    const inList = open.length > 0 && open[open.length - 1] !== '(';
    if (isOp(next, '=') && !isOp(tokens[i + 2], '=') && !inList) continue; // keyword argument name
    if (prev?.kind === 'ident' && prev.text.toLowerCase() === 'as') continue; // an alias
    if (isColumnName(index, t.value) || isTableName(index, t.value)) {
      spans.push({ start: base + t.start, end: base + t.end });
    }
  }
  return spans;
}

/** `table.column` spans inside a string (tables and columns must both be in the schema). */
function qualifiedSpans(text: string, index: SchemaIndex): Span[] {
  if (!text.includes('.')) return [];
  const tokens = tokenize(text, index.lexerNames);
  const spans: Span[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [a, dot, b] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (a.kind !== 'ident' || dot.text !== '.' || a.end !== dot.start || dot.end !== b.start)
      continue;
    if (tokens[i - 1]?.text === '.' && tokens[i - 1]!.end === a.start) continue;
    const qualifier = isTableName(index, a.value);
    if (b.kind === 'ident' && (qualifier || isColumnName(index, b.value))) {
      spans.push({ start: a.start, end: b.end });
      i += 2;
    } else if (b.text === '*' && qualifier) {
      spans.push({ start: a.start, end: b.end });
      i += 2;
    }
  }
  return spans;
}

/** Names assigned by the trajectory's steps (`df1 = ...`): variables, not schema names. */
function assignedNames(tokens: Token[]): Set<string> {
  const names = new Set<string>();
  let lineStart = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'newline') {
      lineStart = true;
      continue;
    }
    if (lineStart && t.kind === 'ident') {
      let j = i;
      const found: string[] = [];
      while (tokens[j]?.kind === 'ident') {
        found.push(tokens[j]!.value.toLowerCase());
        if (tokens[j + 1]?.text === ',') j += 2;
        else break;
      }
      if (tokens[j + 1]?.text === '=' && tokens[j + 2]?.text !== '=') {
        for (const n of found) names.add(n);
      }
    }
    lineStart = false;
  }
  return names;
}
