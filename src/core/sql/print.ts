import type { OrderItem, SqlBody, SqlExpr, SqlQuery, SqlSelect, TableRef } from './ast';
import { SqlUnsupportedError } from './errors';

const KEYWORDS = new Set(
  `abort action add after all alter analyze and as asc attach autoincrement before begin between by
  cascade case cast check collate column commit conflict constraint create cross current current_date
  current_time current_timestamp database default deferrable deferred delete desc detach distinct do
  drop each else end escape except exclusive exists explain fail filter for foreign from full glob group
  having if ignore immediate in index indexed initially inner insert instead intersect into is isnull
  join key left like limit match natural no not nothing notnull null of offset on or order outer over
  plan pragma primary query raise recursive references regexp reindex release rename replace restrict
  right rollback row rows savepoint select set table temp temporary then to transaction trigger union
  unique update using vacuum values view virtual when where window with without`.split(/\s+/),
);

/** A name as SQLite needs it written: bare when it is a plain word, else in backticks. */
export function quoteName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toLowerCase())) return name;
  return '`' + name.replaceAll('`', '``') + '`';
}

/** A SQL string literal. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const PRECEDENCE: Record<string, number> = {
  OR: 1,
  AND: 2,
  '=': 4,
  '<>': 4,
  '<': 5,
  '>': 5,
  '<=': 5,
  '>=': 5,
  '&': 6,
  '|': 6,
  '<<': 6,
  '>>': 6,
  '+': 7,
  '-': 7,
  '*': 8,
  '/': 8,
  '%': 8,
  '||': 9,
};

function prec(e: SqlExpr): number {
  switch (e.k) {
    case 'binary':
      return PRECEDENCE[e.op] ?? 0;
    case 'unary':
      return e.op === 'NOT' ? 3 : 10;
    case 'in':
    case 'between':
    case 'like':
    case 'isnull':
      return 4;
    default:
      return 11;
  }
}

function wrap(e: SqlExpr, min: number): string {
  const s = printExpr(e);
  return prec(e) < min ? `(${s})` : s;
}

/** SQL text of an expression. */
export function printExpr(e: SqlExpr): string {
  switch (e.k) {
    case 'column':
      return e.table ? `${quoteName(e.table)}.${quoteName(e.name)}` : quoteName(e.name);
    case 'literal':
      return e.type === 'string' ? quoteString(e.value) : e.value;
    case 'binary': {
      const p = PRECEDENCE[e.op] ?? 0;
      // Left-associative: the right operand needs parentheses at equal precedence.
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'unary':
      return e.op === 'NOT' ? `NOT ${wrap(e.expr, 3)}` : `${e.op}${wrap(e.expr, 10)}`;
    case 'function': {
      // SQLite's date keywords take no parentheses (`CURRENT_TIMESTAMP()` is a syntax error).
      if (!e.args.length && !e.star && /^current_(timestamp|date|time)$/i.test(e.name))
        return e.name.toUpperCase();
      const args = e.star ? '*' : e.args.map(printExpr).join(', ');
      const call = `${e.name}(${e.distinct ? 'DISTINCT ' : ''}${args})`;
      if (!e.over) return call;
      const parts: string[] = [];
      if (e.over.partitionBy.length)
        parts.push(`PARTITION BY ${e.over.partitionBy.map(printExpr).join(', ')}`);
      if (e.over.orderBy.length) parts.push(`ORDER BY ${printOrder(e.over.orderBy)}`);
      return `${call} OVER (${parts.join(' ')})`;
    }
    case 'star':
      return e.table ? `${quoteName(e.table)}.*` : '*';
    case 'case': {
      const parts = ['CASE'];
      if (e.operand) parts.push(printExpr(e.operand));
      for (const w of e.whens) parts.push(`WHEN ${printExpr(w.cond)} THEN ${printExpr(w.result)}`);
      if (e.else) parts.push(`ELSE ${printExpr(e.else)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'cast':
      return `CAST(${printExpr(e.expr)} AS ${e.type})`;
    case 'in': {
      const inner = e.query ? printQuery(e.query) : (e.list ?? []).map(printExpr).join(', ');
      return `${wrap(e.expr, 5)} ${e.not ? 'NOT IN' : 'IN'} (${inner})`;
    }
    case 'between':
      return `${wrap(e.expr, 5)} ${e.not ? 'NOT BETWEEN' : 'BETWEEN'} ${wrap(e.low, 5)} AND ${wrap(e.high, 5)}`;
    case 'like':
      return `${wrap(e.expr, 5)} ${e.not ? 'NOT LIKE' : 'LIKE'} ${wrap(e.pattern, 5)}`;
    case 'isnull':
      return `${wrap(e.expr, 5)} ${e.not ? 'IS NOT NULL' : 'IS NULL'}`;
    case 'exists':
      return `${e.not ? 'NOT EXISTS' : 'EXISTS'} (${printQuery(e.query)})`;
    case 'subquery':
      return `(${printQuery(e.query)})`;
    case 'nested':
      return `(${printExpr(e.expr)})`;
    case 'unsupported':
      throw new SqlUnsupportedError(e.what);
  }
}

function printRef(r: TableRef): string {
  const alias = r.alias ? ` AS ${quoteName(r.alias)}` : '';
  return r.k === 'table' ? `${quoteName(r.name)}${alias}` : `(${printQuery(r.query)})${alias}`;
}

function printSelect(s: SqlSelect): string {
  const items = s.items
    .map((i) => (i.alias ? `${printExpr(i.expr)} AS ${quoteName(i.alias)}` : printExpr(i.expr)))
    .join(', ');
  let sql = `SELECT ${s.distinct ? 'DISTINCT ' : ''}${items}`;
  if (s.from) sql += ` FROM ${printRef(s.from)}`;
  for (const j of s.joins) {
    if (j.comma) {
      sql += `, ${printRef(j.ref)}`;
      continue;
    }
    const kind = j.kind === 'INNER' ? 'JOIN' : j.kind === 'CROSS' ? 'CROSS JOIN' : `${j.kind} JOIN`;
    sql += ` ${j.natural ? 'NATURAL ' : ''}${kind} ${printRef(j.ref)}`;
    if (j.on) sql += ` ON ${printExpr(j.on)}`;
    if (j.using) sql += ` USING (${j.using.map(quoteName).join(', ')})`;
  }
  if (s.where) sql += ` WHERE ${printExpr(s.where)}`;
  if (s.groupBy.length) sql += ` GROUP BY ${s.groupBy.map(printExpr).join(', ')}`;
  if (s.having) sql += ` HAVING ${printExpr(s.having)}`;
  return sql;
}

function printBody(b: SqlBody): string {
  if (b.k === 'select') return printSelect(b);
  if (b.k === 'query') return `SELECT * FROM (${printQuery(b.query)})`;
  return `${printBody(b.left)} ${b.op}${b.all ? ' ALL' : ''} ${printBody(b.right)}`;
}

/** SQL text of a query. */
export function printQuery(q: SqlQuery): string {
  let sql = '';
  if (q.with.length) {
    sql += `WITH ${q.with
      .map(
        (c) =>
          `${quoteName(c.name)}${c.columns.length ? `(${c.columns.map(quoteName).join(', ')})` : ''} AS (${printQuery(c.query)})`,
      )
      .join(', ')} `;
  }
  sql += printBody(q.body);
  if (q.orderBy.length) {
    sql += ` ORDER BY ${printOrder(q.orderBy)}`;
  }
  if (q.limit) sql += ` LIMIT ${printExpr(q.limit)}`;
  if (q.offset) sql += ` OFFSET ${printExpr(q.offset)}`;
  return sql;
}

function printOrder(items: OrderItem[]): string {
  return items
    .map((o) => `${printExpr(o.expr)}${o.desc === true ? ' DESC' : o.desc === false ? ' ASC' : ''}`)
    .join(', ');
}
