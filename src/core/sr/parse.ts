import type { SrArg, SrExpr, SrProgram, SrStatement } from './ast';
import { SrSyntaxError } from './errors';
import { type SrNames, type Token, tokenize } from './lexer';

/** The outcome of parsing SR: the program (statements that parsed) and any errors. */
export interface SrParseResult {
  program: SrProgram;
  errors: SrSyntaxError[];
  /** Argument text kept verbatim because it was not an expression (e.g. SQL fragments). */
  rawFragments: number;
  /** Closing brackets missing at the end of a step, supplied by the parser. */
  closedBrackets: number;
}

export interface SrParseOptions {
  /** Schema names, so unquoted multi-word column names read as one name. */
  names?: SrNames;
}

const CONTINUE_AFTER = new Set([
  '=',
  ',',
  '+',
  '-',
  '*',
  '/',
  '(',
  '[',
  '{',
  '.',
  '||',
  '==',
  '<',
  '>',
  '<=',
  '>=',
  '!=',
]);

/**
 * Parses SR as BAM, SAM and LOM write it: `target = expr` steps, chained method calls over
 * several lines, nested calls, keyword arguments, `expr as alias`, lists and dicts. A step
 * that does not parse is reported and skipped; the others are kept.
 */
export function parseSr(text: string, options: SrParseOptions = {}): SrParseResult {
  const tokens = tokenize(text, options.names);
  const errors: SrSyntaxError[] = [];
  const statements: SrStatement[] = [];
  let rawFragments = 0;
  let closedBrackets = 0;
  const lineOf = lineIndex(text);
  for (const group of splitStatements(tokens)) {
    const parser = new Parser(group, text, lineOf);
    try {
      statements.push(parser.statement());
      rawFragments += parser.raw;
      closedBrackets += parser.closed;
    } catch (error) {
      if (error instanceof SrSyntaxError) errors.push(error);
      else throw error;
    }
  }
  if (statements.length === 0 && errors.length === 0) {
    errors.push(new SrSyntaxError('the trajectory is empty', 1, 0));
  }
  return { program: { statements }, errors, rawFragments, closedBrackets };
}

/** Parses one SR expression (e.g. a filter value); throws SrSyntaxError. */
export function parseSrExpr(text: string, options: SrParseOptions = {}): SrExpr {
  const tokens = tokenize(text, options.names).filter((t) => t.kind !== 'newline');
  const parser = new Parser(tokens, text, lineIndex(text));
  const expr = parser.expr();
  parser.expectEnd();
  return expr;
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Groups tokens into statements: a newline at bracket depth 0 ends one, unless the text continues it. */
function splitStatements(tokens: Token[]): Token[][] {
  const groups: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  const eof = tokens[tokens.length - 1]!;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'eof') break;
    if (t.kind === 'op') {
      if ('([{'.includes(t.text)) depth++;
      else if (')]}'.includes(t.text)) depth = Math.max(0, depth - 1);
    }
    if (t.kind === 'newline') {
      if (depth > 0 || current.length === 0) continue;
      const last = current[current.length - 1]!;
      let j = i + 1;
      while (tokens[j]?.kind === 'newline') j++;
      const next = tokens[j];
      const continues =
        (last.kind === 'op' && CONTINUE_AFTER.has(last.text)) ||
        (next?.kind === 'op' && (next.text === '.' || next.text === ')'));
      if (continues) continue;
      groups.push([...current, { ...eof, start: t.start, end: t.start }]);
      current = [];
      depth = 0;
      continue;
    }
    if (t.kind === 'op' && t.text === ';' && depth === 0) continue;
    current.push(t);
  }
  if (current.length > 0) groups.push([...current, eof]);
  return groups;
}

const COMPARISON = new Set(['==', '!=', '<>', '<', '>', '<=', '>=']);

/** Deepest expression nesting read (real trajectories nest a few levels). */
const MAX_NESTING = 200;

class Parser {
  private pos = 0;
  /** Depth of brackets around the current expression: `=` compares only inside them. */
  private nesting = 0;
  /** Depth of `expr`/`unary` recursion, bounded by MAX_NESTING. */
  private depth = 0;
  raw = 0;
  /** Closing brackets supplied at the end of the step (models often drop the last one). */
  closed = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
    private readonly lineOf: (offset: number) => number,
  ) {}

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  /** Consumes one token and returns `value` (for operator tables). */
  take<T>(value: T): T {
    this.next();
    return value;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === text;
  }

  private isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && !t.quote && t.text.toLowerCase() === word;
  }

  private fail(message: string, token = this.peek()): never {
    throw new SrSyntaxError(message, this.lineOf(token.start), token.start);
  }

  private describe(t: Token): string {
    return t.kind === 'eof' ? 'the end of the step' : `"${t.text}"`;
  }

  private expect(text: string): Token {
    if (this.peek().kind === 'eof' && ')]}'.includes(text)) {
      this.closed++;
      return this.peek();
    }
    if (!this.isOp(text)) this.fail(`expected "${text}" but found ${this.describe(this.peek())}`);
    return this.next();
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.fail(`unexpected ${this.describe(this.peek())}`);
  }

  statement(): SrStatement {
    const first = this.peek();
    const targets: string[] = [];
    // `a = ...` or `a, b = ...` (but not `a == b`).
    let k = 0;
    const names: string[] = [];
    while (this.peek(k).kind === 'ident') {
      names.push(this.peek(k).value);
      if (this.isOp(',', k + 1)) k += 2;
      else break;
    }
    if (names.length > 0 && this.isOp('=', k + 1)) {
      targets.push(...names);
      this.pos += k + 2;
    }
    const value = this.expr();
    this.expectEnd();
    return {
      targets,
      value,
      start: first.start,
      end: value.end,
      line: this.lineOf(first.start),
    };
  }

  expr(): SrExpr {
    // Degenerate model output nests without end ("df.where(df.where(…"): report it
    // instead of overflowing the call stack.
    if (++this.depth > MAX_NESTING) this.fail('the step nests too deeply');
    try {
      return this.exprBody();
    } finally {
      this.depth--;
    }
  }

  private exprBody(): SrExpr {
    if (this.isWord('lambda')) return this.lambda();
    let e = this.ternary();
    while (this.isWord('as')) {
      this.next();
      const t = this.next();
      if (t.kind !== 'ident' && t.kind !== 'string' && t.kind !== 'mask') {
        this.fail(`expected an alias after "as" but found ${this.describe(t)}`, t);
      }
      e = { kind: 'alias', expr: e, alias: t.value, start: e.start, end: t.end };
    }
    return e;
  }

  private lambda(): SrExpr {
    const start = this.next().start;
    const params: string[] = [];
    while (this.peek().kind === 'ident') {
      params.push(this.next().value);
      if (this.isOp(',')) this.next();
    }
    this.expect(':');
    const body = this.expr();
    return { kind: 'lambda', params, body, start, end: body.end };
  }

  private ternary(): SrExpr {
    const e = this.or();
    if (this.isWord('if') && this.nesting > 0) {
      this.next();
      const cond = this.or();
      if (!this.isWord('else')) this.fail('expected "else" in a conditional expression');
      this.next();
      const other = this.ternary();
      return {
        kind: 'call',
        callee: { kind: 'name', name: 'if_else', start: e.start, end: e.start },
        args: [{ value: cond }, { value: e }, { value: other }],
        start: e.start,
        end: other.end,
      };
    }
    return e;
  }

  private binaryLevel(sub: () => SrExpr, ops: (p: Parser) => string | undefined): SrExpr {
    let left = sub();
    for (;;) {
      const op = ops(this);
      if (op === undefined) return left;
      const right = sub();
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
  }

  private or(): SrExpr {
    return this.binaryLevel(
      () => this.and(),
      (p) => (p.isWord('or') ? p.take('or') : undefined),
    );
  }

  private and(): SrExpr {
    return this.binaryLevel(
      () => this.not(),
      (p) => {
        if (p.isWord('and')) return p.take('and');
        if (p.isOp('&')) return p.take('&');
        if (p.isOp('|')) return p.take('|');
        return undefined;
      },
    );
  }

  private not(): SrExpr {
    if (this.isWord('not') && !this.isOp('(', 1)) {
      const t = this.next();
      const operand = this.not();
      return { kind: 'unary', op: 'not', operand, start: t.start, end: operand.end };
    }
    return this.comparison();
  }

  private comparison(): SrExpr {
    return this.binaryLevel(
      () => this.concat(),
      (p) => {
        const t = p.peek();
        if (t.kind === 'op' && COMPARISON.has(t.text)) return p.take(t.text);
        if (t.kind === 'op' && t.text === '=' && p.nesting > 0) return p.take('=');
        if (p.isWord('in')) return p.take('in');
        if (p.isWord('like')) return p.take('like');
        if (p.isWord('not') && (p.isWord('in', 1) || p.isWord('like', 1))) {
          p.next();
          return `not ${p.next().text.toLowerCase()}`;
        }
        if (p.isWord('is')) {
          p.next();
          if (p.isWord('not')) return p.take('is not');
          return 'is';
        }
        return undefined;
      },
    );
  }

  private concat(): SrExpr {
    return this.binaryLevel(
      () => this.additive(),
      (p) => (p.isOp('||') ? p.take('||') : undefined),
    );
  }

  private additive(): SrExpr {
    return this.binaryLevel(
      () => this.multiplicative(),
      (p) => (p.isOp('+') || p.isOp('-') ? p.next().text : undefined),
    );
  }

  private multiplicative(): SrExpr {
    return this.binaryLevel(
      () => this.unary(),
      (p) =>
        p.isOp('*') || p.isOp('/') || p.isOp('//') || p.isOp('%') ? p.next().text : undefined,
    );
  }

  private unary(): SrExpr {
    if (++this.depth > MAX_NESTING) this.fail('the step nests too deeply');
    try {
      return this.unaryBody();
    } finally {
      this.depth--;
    }
  }

  private unaryBody(): SrExpr {
    if (this.isOp('-') || this.isOp('+') || this.isOp('~') || this.isOp('!')) {
      const t = this.next();
      const operand = this.unary();
      return { kind: 'unary', op: t.text, operand, start: t.start, end: operand.end };
    }
    const base = this.postfix();
    if (this.isOp('**')) {
      this.next();
      const right = this.unary();
      return { kind: 'binary', op: '**', left: base, right, start: base.start, end: right.end };
    }
    return base;
  }

  private postfix(): SrExpr {
    let e = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.kind === 'ident') {
          e = { kind: 'member', object: e, name: t.value, start: e.start, end: t.end };
          if (t.quote) e.quote = t.quote;
        } else if (t.kind === 'op' && t.text === '*') {
          e = { kind: 'member', object: e, name: '*', start: e.start, end: t.end };
        } else if (t.kind === 'mask' || t.kind === 'number' || t.kind === 'string') {
          e = { kind: 'member', object: e, name: t.text, start: e.start, end: t.end };
        } else this.fail(`expected a name after "." but found ${this.describe(t)}`, t);
        continue;
      }
      if (this.isOp('(')) {
        this.next();
        const args = this.args(')');
        const close = this.expect(')');
        e = { kind: 'call', callee: e, args, start: e.start, end: close.end };
        continue;
      }
      if (this.isOp('[') && this.peek().start === e.end) {
        this.next();
        this.nesting++;
        const index = this.expr();
        this.nesting--;
        const close = this.expect(']');
        e = {
          kind: 'call',
          callee: { kind: 'name', name: '__getitem__', start: e.start, end: e.start },
          args: [{ value: e }, { value: index }],
          start: e.start,
          end: close.end,
        };
        continue;
      }
      return e;
    }
  }

  private args(close: string): SrArg[] {
    const args: SrArg[] = [];
    this.nesting++;
    while (!this.isOp(close)) {
      if (this.peek().kind === 'eof') break;
      const startPos = this.pos;
      try {
        args.push(this.arg());
      } catch (error) {
        if (!(error instanceof SrSyntaxError)) throw error;
        this.pos = startPos;
        args.push(this.rawArg(close));
      }
      if (this.isOp(',')) this.next();
      else if (!this.isOp(close)) {
        // Arguments the models write without a separator (`desc limit(3)`): keep as raw text.
        const last = args.pop()!;
        this.pos = this.tokens.findIndex((t) => t.start >= last.value.start);
        args.push(this.rawArg(close));
        if (this.isOp(',')) this.next();
      }
    }
    this.nesting--;
    return args;
  }

  private arg(): SrArg {
    if (this.isOp('*') && (this.isOp(',', 1) || this.isOp(')', 1))) {
      const t = this.next();
      return { value: { kind: 'star', start: t.start, end: t.end } };
    }
    if (this.isOp('**') || (this.isOp('*') && this.peek(1).kind === 'ident')) this.next();
    const t = this.peek();
    if ((t.kind === 'ident' || t.kind === 'string') && this.isOp('=', 1) && !this.isOp('=', 2)) {
      this.next();
      this.next();
      return { name: t.value, value: this.expr() };
    }
    return { value: this.expr() };
  }

  /** Keeps argument text up to the next `,` or closing bracket at depth 0, verbatim. */
  private rawArg(close: string): SrArg {
    const first = this.peek();
    let depth = 0;
    let last = first;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'op') {
        if (depth === 0 && (t.text === ',' || t.text === close)) break;
        if ('([{'.includes(t.text)) depth++;
        else if (')]}'.includes(t.text)) depth--;
      }
      last = this.next();
    }
    if (first.start === this.peek().start) this.fail(`unexpected ${this.describe(first)}`);
    this.raw++;
    const text = this.text.slice(first.start, last.end);
    return { value: { kind: 'raw', text, start: first.start, end: last.end } };
  }

  private primary(): SrExpr {
    const t = this.peek();
    switch (t.kind) {
      case 'ident':
        this.next();
        return t.quote
          ? { kind: 'name', name: t.value, quote: t.quote, start: t.start, end: t.end }
          : { kind: 'name', name: t.value, start: t.start, end: t.end };
      case 'number':
        this.next();
        return { kind: 'number', text: t.text, start: t.start, end: t.end };
      case 'string': {
        this.next();
        let value = t.value;
        let end = t.end;
        // Adjacent literals concatenate, as in Python.
        while (this.peek().kind === 'string') {
          const s = this.next();
          value += s.value;
          end = s.end;
        }
        return { kind: 'string', value, quote: t.quote ?? "'", start: t.start, end };
      }
      case 'mask':
        this.next();
        return { kind: 'mask', start: t.start, end: t.end };
      case 'op':
        if (t.text === '(') return this.paren();
        if (t.text === '[') return this.list();
        if (t.text === '{') return this.dict();
        if (t.text === '*') {
          this.next();
          return { kind: 'star', start: t.start, end: t.end };
        }
        break;
      default:
        break;
    }
    this.fail(`unexpected ${this.describe(t)}`);
  }

  private paren(): SrExpr {
    const open = this.next();
    this.nesting++;
    if (this.isOp(')')) {
      this.nesting--;
      const close = this.next();
      return { kind: 'list', items: [], tuple: true, start: open.start, end: close.end };
    }
    const first = this.expr();
    const items = [first];
    let tuple = false;
    while (this.isOp(',')) {
      tuple = true;
      this.next();
      if (this.isOp(')')) break;
      items.push(this.expr());
    }
    this.nesting--;
    const close = this.expect(')');
    if (tuple) return { kind: 'list', items, tuple: true, start: open.start, end: close.end };
    // Keep the parentheses in the span so printing and masking see what was written.
    return { ...first, start: open.start, end: close.end, ...parenMark(first) };
  }

  private list(): SrExpr {
    const open = this.next();
    this.nesting++;
    const items: SrExpr[] = [];
    while (!this.isOp(']')) {
      if (this.peek().kind === 'eof') this.fail('expected "]" but the step ended');
      items.push(this.expr());
      if (this.isOp(',')) this.next();
      else if (!this.isOp(']'))
        this.fail(`expected "," or "]" but found ${this.describe(this.peek())}`);
    }
    this.nesting--;
    const close = this.next();
    return { kind: 'list', items, start: open.start, end: close.end };
  }

  private dict(): SrExpr {
    const open = this.next();
    this.nesting++;
    const entries: { key: SrExpr; value: SrExpr }[] = [];
    while (!this.isOp('}')) {
      if (this.peek().kind === 'eof') this.fail('expected "}" but the step ended');
      const key = this.expr();
      if (this.isOp(':')) {
        this.next();
        entries.push({ key, value: this.expr() });
      } else entries.push({ key, value: key });
      if (this.isOp(',')) this.next();
      else if (!this.isOp('}'))
        this.fail(`expected "," or "}" but found ${this.describe(this.peek())}`);
    }
    this.nesting--;
    const close = this.next();
    return { kind: 'dict', entries, start: open.start, end: close.end };
  }
}

/** Marks an expression as parenthesized (the printer keeps the parentheses). */
function parenMark(e: SrExpr): { parens?: true } {
  return e.kind === 'binary' || e.kind === 'unary' ? { parens: true } : {};
}

/** True when the expression was written inside parentheses. */
export function hasParens(e: SrExpr): boolean {
  return (e as { parens?: true }).parens === true;
}
