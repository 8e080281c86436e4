import type { SqlBody, SqlExpr, SqlQuery } from './ast';
import { walk } from './walk';

/**
 * SQLite reads an integer in `ORDER BY 2` or `GROUP BY 1` as the 2nd / 1st result column.
 * Returns a copy of the query, nested queries included, where such a position is replaced by
 * that column's expression, so that later stages read what it means. Positions in a set
 * operation's ORDER BY, past the end of the list or over `*` stay as written.
 */
export function resolvePositions(query: SqlQuery): SqlQuery {
  const copy = structuredClone(query);
  resolveQuery(copy);
  return copy;
}

function resolveQuery(q: SqlQuery): void {
  for (const c of q.with) resolveQuery(c.query);
  resolveBody(q.body);
  if (q.body.k !== 'select') return;
  const items = q.body.items;
  for (const o of q.orderBy) {
    o.expr = atPosition(o.expr, items) ?? o.expr;
    resolveExpr(o.expr);
  }
}

function resolveBody(b: SqlBody): void {
  if (b.k === 'set') {
    resolveBody(b.left);
    resolveBody(b.right);
    return;
  }
  if (b.k !== 'select') {
    resolveQuery(b.query);
    return;
  }
  b.groupBy = b.groupBy.map((g) => atPosition(g, b.items) ?? g);
  for (const e of [...b.items.map((i) => i.expr), b.where, b.having, ...b.groupBy]) resolveExpr(e);
  for (const r of [b.from, ...b.joins.map((j) => j.ref)])
    if (r?.k === 'derived') resolveQuery(r.query);
  for (const j of b.joins) resolveExpr(j.on);
}

/** Resolves the queries nested in an expression. */
function resolveExpr(e: SqlExpr | undefined): void {
  if (!e) return;
  walk(e, (x) => {
    if ((x.k === 'in' || x.k === 'exists' || x.k === 'subquery') && x.query) resolveQuery(x.query);
    return true;
  });
}

function atPosition(e: SqlExpr, items: { expr: SqlExpr }[]): SqlExpr | undefined {
  if (e.k !== 'literal' || e.type !== 'number' || !/^[1-9][0-9]*$/.test(e.value)) return undefined;
  const item = items[Number(e.value) - 1];
  if (!item || item.expr.k === 'star') return undefined;
  return structuredClone(item.expr);
}
