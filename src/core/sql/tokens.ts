/**
 * A piece of SQL text: a word, a quoted name, a string, a number, or punctuation (one
 * character, or a two-character operator such as `<=`, `<>`, `||`).
 */
export interface SqlToken {
  kind: 'word' | 'punct' | 'string' | 'ident' | 'number';
  text: string;
  /** Where it is in the SQL: `sql.slice(start, end) === text`. */
  start: number;
  end: number;
}

const OPERATORS = new Set(['<=', '>=', '<>', '!=', '==', '||', '<<', '>>']);

/** Splits SQL into words, quoted names, strings, numbers and punctuation; comments are dropped. */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
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
      tokens.push({
        kind: c === "'" ? 'string' : 'ident',
        text: sql.slice(i, j),
        start: i,
        end: j,
      });
      i = j;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'word', text: sql.slice(i, j), start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(c)) {
      const m = /^(?:0[xX][0-9A-Fa-f]+|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)/.exec(
        sql.slice(i),
      )!;
      tokens.push({ kind: 'number', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else {
      const width = OPERATORS.has(sql.slice(i, i + 2)) ? 2 : 1;
      tokens.push({ kind: 'punct', text: sql.slice(i, i + width), start: i, end: i + width });
      i += width;
    }
  }
  return tokens;
}
