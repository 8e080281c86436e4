import { init, parse } from '@guanmingchiu/sqlparser-ts';
import type {
  Join,
  OrderItem,
  SelectItem,
  SqlBody,
  SqlExpr,
  SqlQuery,
  SqlSelect,
  TableRef,
  WindowSpec,
} from './ast';
import { SqlParseError, SqlUnsupportedError } from './errors';

let ready: Promise<void> | undefined;
let initialized = false;

/**
 * Loads the SQL parser (WebAssembly). Call once before `parseSql`; repeated calls share
 * the same load. In a Web Worker, set `globalThis.window = globalThis` before importing.
 */
export function initSqlParser(): Promise<void> {
  ready ??= init().then(() => {
    initialized = true;
  });
  return ready;
}

/** True once `initSqlParser` has finished. */
export function sqlParserReady(): boolean {
  return initialized;
}

// The parser's AST is serde's externally tagged JSON: read it as loose records.
type Node = Record<string, unknown>;
const isObj = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);
const tag = (x: unknown): [string, unknown] => {
  if (typeof x === 'string') return [x, undefined];
  if (!isObj(x)) return ['?', undefined];
  const key = Object.keys(x)[0] ?? '?';
  return [key, x[key]];
};

/**
 * Parses one SQLite SELECT (or WITH … SELECT) into our representation. A trailing `;` is
 * fine; other statements, several statements or syntax errors throw SqlParseError.
 * Requires `initSqlParser()` to have finished.
 */
export function parseSql(sql: string): SqlQuery {
  if (!initialized)
    throw new SqlParseError('the SQL parser is not loaded yet (call initSqlParser first)');
  let statements: unknown[];
  try {
    statements = parse(sql, 'sqlite') as unknown[];
  } catch (error) {
    const message = (error as Error).message.replace(/^sql parser error: /, '');
    throw new SqlParseError(message);
  }
  if (statements.length === 0) throw new SqlParseError('there is no SQL statement');
  if (statements.length > 1)
    throw new SqlParseError(`expected one statement, found ${statements.length}`);
  const [kind, body] = tag(statements[0]);
  if (kind !== 'Query') throw new SqlParseError(`only SELECT queries are supported, found ${kind}`);
  return query(body as Node);
}

/**
 * Whether the parser accepts `sql` as one statement (syntax only; it accepts much that
 * SQLite rejects, so confirm with `checkWithSqlite` when a database is at hand).
 */
export function checkSqlSyntax(sql: string): { ok: true } | { ok: false; message: string } {
  if (!initialized)
    throw new SqlParseError('the SQL parser is not loaded yet (call initSqlParser first)');
  try {
    const statements = parse(sql, 'sqlite') as unknown[];
    if (statements.length === 1) return { ok: true };
    return {
      ok: false,
      message: statements.length
        ? `expected one statement, found ${statements.length}`
        : 'there is no SQL statement',
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message.replace(/^sql parser error: /, '') };
  }
}

function ident(x: unknown): string {
  if (isObj(x) && typeof x.value === 'string') return x.value;
  const [k, v] = tag(x);
  if (k === 'Identifier' && isObj(v)) return String(v.value);
  throw new SqlUnsupportedError(`name ${JSON.stringify(x).slice(0, 60)}`);
}

function quoteOf(x: unknown): string | undefined {
  const v = isObj(x) && 'Identifier' in x ? x.Identifier : x;
  return isObj(v) && typeof v.quote_style === 'string' ? v.quote_style : undefined;
}

function objectName(x: unknown): string[] {
  return (x as unknown[]).map(ident);
}

function query(q: Node): SqlQuery {
  const out: SqlQuery = { with: [], body: setExpr(q.body), orderBy: [] };
  const w = q.with as Node | null | undefined;
  if (isObj(w)) {
    if (w.recursive) throw new SqlUnsupportedError('WITH RECURSIVE');
    for (const cte of w.cte_tables as Node[]) {
      const alias = cte.alias as Node;
      out.with.push({
        name: ident(alias.name),
        query: query(cte.query as Node),
        columns: ((alias.columns as unknown[]) ?? []).map((c) =>
          ident(isObj(c) && 'name' in c ? c.name : c),
        ),
      });
    }
  }
  const ob = q.order_by as Node | null | undefined;
  if (isObj(ob)) {
    const [kind, items] = tag(ob.kind);
    if (kind !== 'Expressions') throw new SqlUnsupportedError('ORDER BY ALL');
    out.orderBy = (items as Node[]).map(orderItem);
  }
  const lc = q.limit_clause as Node | null | undefined;
  if (isObj(lc)) {
    const [kind, v] = tag(lc);
    const n = v as Node;
    if (kind === 'LimitOffset') {
      if (n.limit) out.limit = expr(n.limit);
      if (isObj(n.offset)) out.offset = expr(n.offset.value);
    } else if (kind === 'OffsetCommaLimit') {
      out.limit = expr(n.limit);
      out.offset = expr(n.offset);
    }
  }
  return out;
}

function setExpr(x: unknown): SqlBody {
  const [kind, v] = tag(x);
  const n = v as Node;
  switch (kind) {
    case 'Select':
      return select(n);
    case 'Query':
      return { k: 'query', query: query(n) };
    case 'SetOperation': {
      const op = String(n.op).toUpperCase() as 'UNION' | 'INTERSECT' | 'EXCEPT';
      return {
        k: 'set',
        op,
        all: n.set_quantifier === 'All',
        left: setExpr(n.left),
        right: setExpr(n.right),
      };
    }
    default:
      throw new SqlUnsupportedError(`${kind} as a query body`);
  }
}

function select(s: Node): SqlSelect {
  const distinct = s.distinct !== null && s.distinct !== undefined && s.distinct !== false;
  if (isObj(s.distinct) && 'On' in s.distinct) throw new SqlUnsupportedError('DISTINCT ON');
  const items: SelectItem[] = (s.projection as unknown[]).map((p) => {
    const [kind, v] = tag(p);
    if (kind === 'UnnamedExpr') return { expr: expr(v) };
    if (kind === 'ExprWithAlias') {
      const n = v as Node;
      return { expr: expr(n.expr), alias: ident(n.alias) };
    }
    if (kind === 'Wildcard') return { expr: { k: 'star' } };
    if (kind === 'QualifiedWildcard') {
      const first = (v as unknown[])[0];
      const [, name] = tag(first);
      return { expr: { k: 'star', table: objectName(name).join('.') } };
    }
    throw new SqlUnsupportedError(`${kind} in the select list`);
  });
  const out: SqlSelect = { k: 'select', distinct, items, joins: [], groupBy: [] };
  const from = (s.from as Node[]) ?? [];
  from.forEach((twj, i) => {
    const ref = tableFactor(twj.relation);
    if (i === 0) out.from = ref;
    else out.joins.push({ kind: 'CROSS', ref, comma: true });
    for (const j of (twj.joins as Node[]) ?? []) out.joins.push(join(j));
  });
  if (s.selection) out.where = expr(s.selection);
  const [gk, gv] = tag(s.group_by);
  if (gk === 'Expressions') out.groupBy = ((gv as unknown[][])[0] ?? []).map(expr);
  else if (gk === 'All') throw new SqlUnsupportedError('GROUP BY ALL');
  if (s.having) out.having = expr(s.having);
  if (isObj(s.named_window) || (Array.isArray(s.named_window) && s.named_window.length > 0)) {
    throw new SqlUnsupportedError('WINDOW clause');
  }
  return out;
}

function tableFactor(x: unknown): TableRef {
  const [kind, v] = tag(x);
  const n = v as Node;
  const alias = isObj(n?.alias) ? ident((n.alias as Node).name) : undefined;
  if (kind === 'Table') {
    if (n.args) throw new SqlUnsupportedError('table-valued function');
    const ref: TableRef = { k: 'table', name: objectName(n.name).join('.') };
    if (alias) ref.alias = alias;
    return ref;
  }
  if (kind === 'Derived') {
    const ref: TableRef = { k: 'derived', query: query(n.subquery as Node) };
    if (alias) ref.alias = alias;
    return ref;
  }
  if (kind === 'NestedJoin') throw new SqlUnsupportedError('parenthesized join');
  throw new SqlUnsupportedError(`${kind} in FROM`);
}

function join(j: Node): Join {
  const [op, c] = tag(j.join_operator);
  const ref = tableFactor(j.relation);
  const kinds: Record<string, Join['kind']> = {
    Join: 'INNER',
    Inner: 'INNER',
    Left: 'LEFT',
    LeftOuter: 'LEFT',
    Right: 'RIGHT',
    RightOuter: 'RIGHT',
    FullOuter: 'FULL',
    CrossJoin: 'CROSS',
  };
  const kind = kinds[op];
  if (!kind) throw new SqlUnsupportedError(`${op} join`);
  const out: Join = { kind, ref };
  const [ck, cv] = tag(c);
  if (ck === 'On') out.on = expr(cv);
  else if (ck === 'Using') out.using = (cv as unknown[]).map((u) => objectName(u).join('.'));
  else if (ck === 'Natural') out.natural = true;
  return out;
}

const BINARY: Record<string, string> = {
  Plus: '+',
  Minus: '-',
  Multiply: '*',
  Divide: '/',
  Modulo: '%',
  StringConcat: '||',
  Gt: '>',
  Lt: '<',
  GtEq: '>=',
  LtEq: '<=',
  Eq: '=',
  NotEq: '<>',
  And: 'AND',
  Or: 'OR',
  BitwiseAnd: '&',
  BitwiseOr: '|',
  PGBitwiseShiftLeft: '<<',
  PGBitwiseShiftRight: '>>',
};

function literal(v: unknown): SqlExpr {
  const [kind, val] = tag(isObj(v) && 'value' in v ? v.value : v);
  switch (kind) {
    case 'Number':
      return { k: 'literal', type: 'number', value: String((val as unknown[])[0]) };
    case 'SingleQuotedString':
    case 'DoubleQuotedString':
    case 'NationalStringLiteral':
      return { k: 'literal', type: 'string', value: String(val) };
    case 'Boolean':
      return { k: 'literal', type: 'boolean', value: val ? 'TRUE' : 'FALSE' };
    case 'Null':
      return { k: 'literal', type: 'null', value: 'NULL' };
    case 'Placeholder':
      throw new SqlUnsupportedError('query parameters');
    default:
      throw new SqlUnsupportedError(`${kind} literal`);
  }
}

function dataType(x: unknown): string {
  if (typeof x === 'string') return x.toUpperCase();
  const [kind, v] = tag(x);
  if (kind === 'Custom')
    return objectName((v as unknown[])[0])
      .join('.')
      .toUpperCase();
  return kind.toUpperCase();
}

function orderItem(item: Node): OrderItem {
  const options = (item.options ?? {}) as Node;
  const o: OrderItem = { expr: expr(item.expr) };
  if (typeof options.asc === 'boolean') o.desc = !options.asc;
  return o;
}

/** `OVER (PARTITION BY … ORDER BY …)`; a frame clause or a named window is only marked. */
function windowSpec(over: Node): WindowSpec {
  const [kind, v] = tag(over);
  if (kind !== 'WindowSpec' || !isObj(v)) return { partitionBy: [], orderBy: [], frame: true };
  const spec = v as Node;
  const out: WindowSpec = {
    partitionBy: ((spec.partition_by as Node[] | undefined) ?? []).map(expr),
    orderBy: ((spec.order_by as Node[] | undefined) ?? []).map(orderItem),
  };
  if (spec.window_frame || spec.window_name) out.frame = true;
  return out;
}

function functionArgs(f: Node): { args: SqlExpr[]; distinct: boolean; star: boolean } {
  const [kind, v] = tag(f.args);
  if (kind === 'None') return { args: [], distinct: false, star: false };
  if (kind === 'Subquery')
    return { args: [{ k: 'subquery', query: query(v as Node) }], distinct: false, star: false };
  const list = v as Node;
  let star = false;
  const args: SqlExpr[] = [];
  for (const a of (list.args as unknown[]) ?? []) {
    const [ak, av] = tag(a);
    if (ak !== 'Unnamed') throw new SqlUnsupportedError('named function arguments');
    const [ek, ev] = tag(av);
    if (ek === 'Wildcard') star = true;
    else if (ek === 'Expr') args.push(expr(ev));
    else if (ek === 'QualifiedWildcard') args.push({ k: 'star', table: objectName(ev).join('.') });
    else throw new SqlUnsupportedError(`${ek} as a function argument`);
  }
  return { args, distinct: list.duplicate_treatment === 'Distinct', star };
}

/** Converts one parser expression node. */
function expr(x: unknown): SqlExpr {
  const [kind, v] = tag(x);
  const n = v as Node;
  switch (kind) {
    case 'Identifier': {
      const c: SqlExpr = { k: 'column', name: ident(n) };
      const q = quoteOf(n);
      if (q) c.quote = q;
      // SQLite reads a double-quoted word as a string when no column has that name; the
      // parser cannot know: keep it a column (resolution against a schema decides).
      return c;
    }
    case 'CompoundIdentifier': {
      const parts = v as Node[];
      const name = parts[parts.length - 1]!;
      const c: SqlExpr = {
        k: 'column',
        name: ident(name),
        table: parts.slice(0, -1).map(ident).join('.'),
      };
      const q = quoteOf(name);
      if (q) c.quote = q;
      return c;
    }
    case 'Value':
      return literal(n);
    case 'Nested':
      return { k: 'nested', expr: expr(v) };
    case 'BinaryOp': {
      const op = BINARY[String(n.op)];
      if (!op) throw new SqlUnsupportedError(`operator ${String(n.op)}`);
      return { k: 'binary', op, left: expr(n.left), right: expr(n.right) };
    }
    case 'UnaryOp': {
      const ops: Record<string, 'NOT' | '-' | '+' | '~'> = {
        Not: 'NOT',
        Minus: '-',
        Plus: '+',
        PGBitwiseNot: '~',
      };
      const op = ops[String(n.op)];
      if (!op) throw new SqlUnsupportedError(`operator ${String(n.op)}`);
      return { k: 'unary', op, expr: expr(n.expr) };
    }
    case 'Function': {
      const name = objectName(n.name).join('.');
      const { args, distinct, star } = functionArgs(n);
      const f: SqlExpr = { k: 'function', name, args, distinct, star };
      if (n.over) f.over = windowSpec(n.over as Node);
      if (n.filter) throw new SqlUnsupportedError('FILTER on an aggregate');
      return f;
    }
    case 'Cast':
      return { k: 'cast', expr: expr(n.expr), type: dataType(n.data_type) };
    case 'Case': {
      const out: SqlExpr = {
        k: 'case',
        whens: (n.conditions as Node[]).map((c) => ({
          cond: expr(c.condition),
          result: expr(c.result),
        })),
      };
      if (n.operand) out.operand = expr(n.operand);
      if (n.else_result) out.else = expr(n.else_result);
      return out;
    }
    case 'InList':
      return {
        k: 'in',
        expr: expr(n.expr),
        list: (n.list as unknown[]).map(expr),
        not: !!n.negated,
      };
    case 'InSubquery':
      return { k: 'in', expr: expr(n.expr), query: query(n.subquery as Node), not: !!n.negated };
    case 'Between':
      return {
        k: 'between',
        expr: expr(n.expr),
        low: expr(n.low),
        high: expr(n.high),
        not: !!n.negated,
      };
    case 'Like':
    case 'ILike':
      if (n.escape_char) throw new SqlUnsupportedError('LIKE … ESCAPE');
      return { k: 'like', expr: expr(n.expr), pattern: expr(n.pattern), not: !!n.negated };
    case 'IsNull':
      return { k: 'isnull', expr: expr(v), not: false };
    case 'IsNotNull':
      return { k: 'isnull', expr: expr(v), not: true };
    case 'Exists':
      return { k: 'exists', query: query(n.subquery as Node), not: !!n.negated };
    case 'Subquery':
      return { k: 'subquery', query: query(n) };
    case 'Substring': {
      const args = [expr(n.expr)];
      if (n.substring_from) args.push(expr(n.substring_from));
      if (n.substring_for) args.push(expr(n.substring_for));
      return {
        k: 'function',
        name: n.shorthand ? 'SUBSTR' : 'SUBSTRING',
        args,
        distinct: false,
        star: false,
      };
    }
    case 'Trim': {
      // SQLite's trim(x) and trim(x, chars); the standard TRIM(LEADING … FROM x) is not SQLite.
      if (n.trim_where || n.trim_what) return { k: 'unsupported', what: 'TRIM … FROM' };
      const chars = (n.trim_characters as Node[] | undefined) ?? [];
      return {
        k: 'function',
        name: 'trim',
        args: [expr(n.expr), ...chars.map((c) => expr(c))],
        distinct: false,
        star: false,
      };
    }
    case 'Collate':
      return expr(n.expr);
    default:
      return { k: 'unsupported', what: kind };
  }
}
