import type { Schema } from '../schema/schema';
import type { Join, SqlBody, SqlExpr, SqlQuery, SqlSelect } from './ast';
import { walk, walkQuery } from './walk';

/**
 * "The rows with no match" written as an outer join, `FROM faculty f LEFT JOIN course c ON
 * c.instructor = f.fac_id WHERE c.cid IS NULL`, said without the join: `f.fac_id NOT IN
 * (SELECT c.instructor FROM course c WHERE c.instructor IS NOT NULL)`. The two give the same
 * rows when `f.fac_id` is its table's primary key (never NULL) and the join's table is read
 * nowhere else, which is when this rewrites; SR, which has no outer join, can then say it.
 * Returns a copy of the query, nested queries included.
 */
export function antiJoinsAsNotIn(query: SqlQuery, schema: Schema): SqlQuery {
  const copy = structuredClone(query);
  rewriteQuery(copy, schema);
  return copy;
}

function rewriteQuery(q: SqlQuery, schema: Schema): void {
  for (const c of q.with) rewriteQuery(c.query, schema);
  rewriteBody(q.body, schema, q);
}

function rewriteBody(b: SqlBody, schema: Schema, q: SqlQuery): void {
  if (b.k === 'set') {
    rewriteBody(b.left, schema, q);
    rewriteBody(b.right, schema, q);
    return;
  }
  if (b.k === 'query') {
    rewriteQuery(b.query, schema);
    return;
  }
  for (const r of [b.from, ...b.joins.map((j) => j.ref)])
    if (r?.k === 'derived') rewriteQuery(r.query, schema);
  const nested = (e: SqlExpr | undefined) => {
    if (e)
      walk(e, (x) => {
        if (x.k === 'subquery' || x.k === 'exists' || (x.k === 'in' && x.query))
          rewriteQuery(x.query!, schema);
        return true;
      });
  };
  for (const e of [...b.items.map((i) => i.expr), b.where, b.having]) nested(e);
  for (const j of [...b.joins]) {
    const rewritten = antiJoin(b, j, schema, q);
    if (rewritten) {
      b.joins = b.joins.filter((x) => x !== j);
      b.where = rewritten;
    }
  }
}

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

function conjuncts(e: SqlExpr): SqlExpr[] {
  const x = e.k === 'nested' ? e.expr : e;
  return x.k === 'binary' && x.op === 'AND' ? [...conjuncts(x.left), ...conjuncts(x.right)] : [x];
}

/** The WHERE of `s` with `j` as a NOT IN, or undefined when `j` is not such an anti-join. */
function antiJoin(s: SqlSelect, j: Join, schema: Schema, q: SqlQuery): SqlExpr | undefined {
  if (j.kind !== 'LEFT' || j.ref.k !== 'table' || !j.on || !s.where) return undefined;
  const table = schema.tables.find((t) => same(t.name, (j.ref as { name: string }).name));
  if (!table) return undefined;
  const alias = j.ref.alias ?? j.ref.name;
  const on = j.on.k === 'nested' ? j.on.expr : j.on;
  if (on.k !== 'binary' || on.op !== '=' || on.left.k !== 'column' || on.right.k !== 'column')
    return undefined;
  const [inner, outer] = same(on.left.table, alias) ? [on.left, on.right] : [on.right, on.left];
  if (!same(inner.table, alias) || !outer.table || same(outer.table, alias)) return undefined;
  // The outer column is its table's whole primary key, so never NULL.
  const outerRef = [s.from, ...s.joins.map((x) => x.ref)].find(
    (r) => r?.k === 'table' && same(r.alias ?? r.name, outer.table),
  ) as { name: string } | undefined;
  const outerTable = schema.tables.find((t) => same(t.name, outerRef?.name));
  if (outerTable?.primaryKey.length !== 1 || !same(outerTable.primaryKey[0], outer.name))
    return undefined;
  // `WHERE c.instructor IS NULL` (the joined column) or `c.cid IS NULL` (its primary key):
  // columns that are never NULL on a match.
  const conds = conjuncts(s.where);
  const test = conds.find((c) => {
    if (c.k !== 'isnull' || c.not || c.expr.k !== 'column' || !same(c.expr.table, alias))
      return false;
    const name = c.expr.name;
    return (
      same(name, inner.name) || (table.primaryKey.length === 1 && same(name, table.primaryKey[0]))
    );
  });
  if (!test) return undefined;
  // The joined table is read nowhere else (unqualified names that it has count as reads).
  let elsewhere = false;
  const reads = (x: SqlExpr) => {
    if (x.k !== 'column') return;
    if (x.table ? same(x.table, alias) : table.columns.some((c) => same(c.name, x.name)))
      elsewhere = true;
  };
  const others: Join[] = s.joins.filter((x) => x !== j);
  walkQuery(
    {
      with: [],
      body: {
        ...s,
        joins: others,
        where: conds.filter((c) => c !== test).reduce<SqlExpr | undefined>(and, undefined),
      },
      orderBy: s === q.body ? q.orderBy : [],
    },
    reads,
  );
  if (elsewhere) return undefined;
  const matches: SqlQuery = {
    with: [],
    body: {
      k: 'select',
      distinct: false,
      items: [{ expr: { ...inner } }],
      from: { ...j.ref },
      joins: [],
      where: { k: 'isnull', expr: { ...inner }, not: true },
      groupBy: [],
    },
    orderBy: [],
  };
  const notIn: SqlExpr = { k: 'in', expr: { ...outer }, query: matches, not: true };
  return conds.map((c) => (c === test ? notIn : c)).reduce<SqlExpr | undefined>(and, undefined);
}

function and(acc: SqlExpr | undefined, c: SqlExpr): SqlExpr {
  return acc ? { k: 'binary', op: 'AND', left: acc, right: c } : c;
}
