import type { ColumnExpr, FunctionExpr, Join, SqlBody, SqlExpr, SqlQuery } from './ast';

/** Visits an expression tree (not into subqueries); `visit` returning false skips children. */
export function walk(e: SqlExpr, visit: (e: SqlExpr) => boolean | undefined): void {
  if (visit(e) === false) return;
  const kids: (SqlExpr | undefined)[] = [];
  switch (e.k) {
    case 'binary':
      kids.push(e.left, e.right);
      break;
    case 'unary':
    case 'nested':
    case 'cast':
    case 'isnull':
      kids.push(e.expr);
      break;
    case 'function':
      kids.push(...e.args);
      if (e.over) kids.push(...e.over.partitionBy, ...e.over.orderBy.map((o) => o.expr));
      break;
    case 'case':
      kids.push(e.operand, ...e.whens.flatMap((w) => [w.cond, w.result]), e.else);
      break;
    case 'in':
      kids.push(e.expr, ...(e.list ?? []));
      break;
    case 'between':
      kids.push(e.expr, e.low, e.high);
      break;
    case 'like':
      kids.push(e.expr, e.pattern);
      break;
    default:
      break;
  }
  for (const k of kids) if (k) walk(k, visit);
}

/**
 * Visits every expression of a query, subqueries included; `onJoin` sees each join of a FROM
 * clause before the expressions of its ON.
 */
export function walkQuery(
  q: SqlQuery,
  visit: (e: SqlExpr) => void,
  onJoin?: (j: Join) => void,
): void {
  const onExpr = (e: SqlExpr | undefined) => {
    if (!e) return;
    walk(e, (x) => {
      visit(x);
      if (x.k === 'in' && x.query) walkQuery(x.query, visit, onJoin);
      if (x.k === 'exists' || x.k === 'subquery') walkQuery(x.query, visit, onJoin);
      return true;
    });
  };
  const onBody = (b: SqlBody) => {
    if (b.k === 'select') {
      for (const i of b.items) onExpr(i.expr);
      for (const j of b.joins) {
        onJoin?.(j);
        onExpr(j.on);
        if (j.ref.k === 'derived') walkQuery(j.ref.query, visit, onJoin);
      }
      if (b.from?.k === 'derived') walkQuery(b.from.query, visit, onJoin);
      onExpr(b.where);
      b.groupBy.forEach(onExpr);
      onExpr(b.having);
    } else if (b.k === 'set') {
      onBody(b.left);
      onBody(b.right);
    } else walkQuery(b.query, visit, onJoin);
  };
  for (const c of q.with) walkQuery(c.query, visit, onJoin);
  onBody(q.body);
  for (const o of q.orderBy) onExpr(o.expr);
}

/** Names of SQL's aggregate functions (lower case). */
export const AGGREGATE_NAMES = new Set([
  'count',
  'sum',
  'avg',
  'max',
  'min',
  'total',
  'group_concat',
]);

/**
 * An aggregate call (`count`, `sum`, …, `group_concat`), window or not. SQLite's `max(a, b)` and
 * `min(a, b)` of two or more arguments are scalar functions, not aggregates.
 */
export function isAggregate(e: SqlExpr): e is FunctionExpr {
  if (e.k !== 'function') return false;
  const name = e.name.toLowerCase();
  if (!AGGREGATE_NAMES.has(name)) return false;
  return !((name === 'max' || name === 'min') && e.args.length > 1);
}

/** Top-level OR parts of a condition, through parentheses (`(a OR b) OR c` → a, b, c). */
export function disjuncts(e: SqlExpr): SqlExpr[] {
  let u = e;
  while (u.k === 'nested') u = u.expr;
  if (u.k === 'binary' && u.op === 'OR') return [...disjuncts(u.left), ...disjuncts(u.right)];
  return [e];
}

/**
 * The columns an expression reads, or undefined when it reads rows otherwise (a subquery,
 * EXISTS, IN a subquery, an aggregate): `TRIM(f.SourceAirport)` reads one column.
 */
export function plainColumns(e: SqlExpr): ColumnExpr[] | undefined {
  const cols: ColumnExpr[] = [];
  let plain = true;
  walk(e, (x) => {
    if (x.k === 'column') cols.push(x);
    if (x.k === 'subquery' || x.k === 'exists' || (x.k === 'in' && x.query)) plain = false;
    if (isAggregate(x)) plain = false;
    return plain;
  });
  return plain ? cols : undefined;
}
