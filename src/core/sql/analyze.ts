import type { ForeignKey, Schema, Table } from '../schema/schema';
import type { ColumnExpr, Join, SqlBody, SqlExpr, SqlQuery, SqlSelect, TableRef } from './ast';
import { suggestNames } from './suggest';
import { walk, walkQuery } from './walk';

/** What a column reference resolved to. */
export type Resolution =
  /** A column of a schema table. */
  | { kind: 'table'; table: string; column: string }
  /** A column of a CTE or derived table (named by its alias). */
  | { kind: 'derived'; source: string; column: string }
  /** A select-list alias (`ORDER BY total`). */
  | { kind: 'alias'; column: string }
  | { kind: 'unknown'; column: string };

/** A schema problem found in SQL, with a message for the user and suggestions. */
export interface SchemaProblem {
  kind: 'unknown-table' | 'unknown-column' | 'ambiguous-column';
  /** The name as written (`T1.nme`). */
  name: string;
  message: string;
  suggestions: string[];
  /**
   * Where the wrong name is written, for putting a suggestion in its place (`applySuggestion`):
   * a table of FROM/JOIN, a qualifier (`T9` of `T9.x`, `t` of `t.*`), or a column (with the
   * qualifier it is written with). Suggestions then name what replaces `ref.name` (prefixed
   * by `ref.qualifier` and a dot when there is one).
   */
  ref: { as: 'table' | 'qualifier' | 'column'; name: string; qualifier?: string };
}

/** The result of analysing a query against a schema. */
export interface SqlAnalysis {
  query: SqlQuery;
  /** Schema tables the query reads, in order of first mention. */
  tables: string[];
  /** Schema columns the query references (`[table, column]`), in order of first mention. */
  columns: [string, string][];
  problems: SchemaProblem[];
  /** How a column node of `query` resolved (undefined for nodes outside it). */
  resolve(column: ColumnExpr): Resolution | undefined;
  /** The schema table a FROM entry (or qualifier) named `alias` stands for, in the scope of `column`. */
  tableOf(column: ColumnExpr): string | undefined;
}

interface Source {
  /** Name the query uses for it (alias or table name). */
  name: string;
  table?: Table;
  /** Output columns of a derived table or CTE. */
  columns?: string[];
}

interface Scope {
  sources: Source[];
  parent?: Scope;
  ctes: Map<string, string[]>;
  aliases: Set<string>;
}

const lower = (s: string) => s.toLowerCase();

/**
 * Resolves a query's names against a schema: aliases, CTEs, derived tables and subqueries
 * (correlated ones see their outer query). Lists the schema tables and columns read and
 * reports unknown or ambiguous names with suggestions by edit distance.
 */
export function analyzeSql(query: SqlQuery, schema: Schema): SqlAnalysis {
  const tablesByName = new Map(schema.tables.map((t) => [lower(t.name), t]));
  const resolutions = new Map<ColumnExpr, Resolution>();
  const qualifierTables = new Map<ColumnExpr, string>();
  const tables: string[] = [];
  const columns: [string, string][] = [];
  const seenColumns = new Set<string>();
  const problems: SchemaProblem[] = [];
  const problemKeys = new Set<string>();

  const problem = (p: SchemaProblem) => {
    const key = `${p.kind}|${p.name}`;
    if (problemKeys.has(key)) return;
    problemKeys.add(key);
    problems.push(p);
  };
  const useTable = (t: Table) => {
    if (!tables.includes(t.name)) tables.push(t.name);
  };
  const useColumn = (t: Table, column: string) => {
    const key = `${t.name}.${column}`;
    if (!seenColumns.has(key)) {
      seenColumns.add(key);
      columns.push([t.name, column]);
    }
  };

  function outputColumns(q: SqlQuery, scope: Scope): string[] {
    let body: SqlBody = q.body;
    while (body.k !== 'select') body = body.k === 'set' ? body.left : body.query.body;
    const out: string[] = [];
    for (const item of body.items) {
      if (item.alias) out.push(item.alias);
      else if (item.expr.k === 'column') out.push(item.expr.name);
      else if (item.expr.k === 'star') {
        // Expand * over the select's own sources.
        for (const src of sourcesOf(body, scope, false)) {
          if (item.expr.table && lower(item.expr.table) !== lower(src.name)) continue;
          out.push(...(src.table?.columns.map((c) => c.name) ?? src.columns ?? []));
        }
      }
    }
    return out;
  }

  function sourceFor(ref: TableRef, scope: Scope, record: boolean): Source {
    if (ref.k === 'derived') {
      if (record) visitQuery(ref.query, scope);
      return { name: ref.alias ?? '', columns: outputColumns(ref.query, scope) };
    }
    const cte = findCte(scope, ref.name);
    if (cte) return { name: ref.alias ?? ref.name, columns: cte };
    const table = tablesByName.get(lower(ref.name));
    if (table) {
      if (record) useTable(table);
      return { name: ref.alias ?? table.name, table };
    }
    if (record) {
      problem({
        kind: 'unknown-table',
        name: ref.name,
        ref: { as: 'table', name: ref.name },
        message: `no table named "${ref.name}"`,
        suggestions: suggestNames(
          ref.name,
          schema.tables.map((t) => t.name),
        ),
      });
    }
    return { name: ref.alias ?? ref.name, columns: [] };
  }

  function sourcesOf(s: SqlSelect, scope: Scope, record: boolean): Source[] {
    const refs = [...(s.from ? [s.from] : []), ...s.joins.map((j) => j.ref)];
    return refs.map((r) => sourceFor(r, scope, record));
  }

  function findCte(scope: Scope | undefined, name: string): string[] | undefined {
    for (let s = scope; s; s = s.parent) {
      const cte = s.ctes.get(lower(name));
      if (cte) return cte;
    }
    return undefined;
  }

  function resolveColumn(c: ColumnExpr, scope: Scope): void {
    const display = c.table ? `${c.table}.${c.name}` : c.name;
    if (c.table) {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const src = s.sources.find((x) => lower(x.name) === lower(c.table!));
        if (!src) continue;
        if (src.table) {
          qualifierTables.set(c, src.table.name);
          const col = src.table.columns.find((x) => lower(x.name) === lower(c.name));
          if (col) {
            resolutions.set(c, { kind: 'table', table: src.table.name, column: col.name });
            useColumn(src.table, col.name);
          } else {
            resolutions.set(c, { kind: 'unknown', column: c.name });
            problem({
              kind: 'unknown-column',
              name: display,
              ref: { as: 'column', name: c.name, qualifier: c.table },
              message: `table "${src.table.name}" has no column "${c.name}"`,
              suggestions: suggestNames(
                c.name,
                src.table.columns.map((x) => x.name),
              ).map((n) => `${c.table}.${n}`),
            });
          }
        } else {
          const col = src.columns?.find((x) => lower(x) === lower(c.name));
          resolutions.set(c, { kind: 'derived', source: src.name, column: col ?? c.name });
        }
        return;
      }
      resolutions.set(c, { kind: 'unknown', column: c.name });
      problem({
        kind: 'unknown-table',
        name: c.table,
        ref: { as: 'qualifier', name: c.table },
        message: `"${c.table}" (in ${display}) is not a table or alias of this query`,
        suggestions: suggestNames(c.table, [
          ...scope.sources.map((s) => s.name),
          ...schema.tables.map((t) => t.name),
        ]),
      });
      return;
    }
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const hits: Resolution[] = [];
      // How each hit is written qualified: by the name it has in this query (its alias).
      const qualified: string[] = [];
      for (const src of s.sources) {
        if (src.table) {
          const col = src.table.columns.find((x) => lower(x.name) === lower(c.name));
          if (col) hits.push({ kind: 'table', table: src.table.name, column: col.name });
          if (col) qualified.push(`${src.name}.${col.name}`);
        } else {
          const col = src.columns?.find((x) => lower(x) === lower(c.name));
          if (col) hits.push({ kind: 'derived', source: src.name, column: col });
          if (col) qualified.push(src.name ? `${src.name}.${col}` : col);
        }
      }
      if (hits.length > 0) {
        const hit = hits[0]!;
        resolutions.set(c, hit);
        if (hit.kind === 'table') {
          const t = tablesByName.get(lower(hit.table))!;
          useColumn(t, hit.column);
        }
        const distinctTables = new Set(hits.map((h) => (h.kind === 'table' ? h.table : h.kind)));
        if (hits.length > 1 && distinctTables.size > 1) {
          problem({
            kind: 'ambiguous-column',
            name: display,
            ref: { as: 'column', name: c.name },
            message: `"${c.name}" is a column of several tables here; qualify it`,
            suggestions: qualified,
          });
        }
        return;
      }
      if (s.aliases.has(lower(c.name))) {
        resolutions.set(c, { kind: 'alias', column: c.name });
        return;
      }
    }
    resolutions.set(c, { kind: 'unknown', column: c.name });
    // SQLite reads an unknown double-quoted name as a string literal: not an error there.
    if (c.quote === '"') return;
    const candidates = scope.sources.flatMap(
      (s) => s.table?.columns.map((x) => x.name) ?? s.columns ?? [],
    );
    problem({
      kind: 'unknown-column',
      name: display,
      ref: { as: 'column', name: c.name },
      message: `no column named "${c.name}" in ${scope.sources.map((s) => s.name).join(', ') || 'this query'}`,
      suggestions: suggestNames(c.name, candidates.length ? candidates : allColumns(schema)),
    });
  }

  function visitExpr(e: SqlExpr | undefined, scope: Scope): void {
    if (!e) return;
    switch (e.k) {
      case 'column':
        resolveColumn(e, scope);
        return;
      case 'binary':
        visitExpr(e.left, scope);
        visitExpr(e.right, scope);
        return;
      case 'unary':
      case 'nested':
      case 'cast':
        visitExpr(e.expr, scope);
        return;
      case 'isnull':
        visitExpr(e.expr, scope);
        return;
      case 'function':
        for (const a of e.args) visitExpr(a, scope);
        for (const p of e.over?.partitionBy ?? []) visitExpr(p, scope);
        for (const o of e.over?.orderBy ?? []) visitExpr(o.expr, scope);
        return;
      case 'case':
        visitExpr(e.operand, scope);
        for (const w of e.whens) {
          visitExpr(w.cond, scope);
          visitExpr(w.result, scope);
        }
        visitExpr(e.else, scope);
        return;
      case 'in':
        visitExpr(e.expr, scope);
        for (const x of e.list ?? []) visitExpr(x, scope);
        if (e.query) visitQuery(e.query, scope);
        return;
      case 'between':
        visitExpr(e.expr, scope);
        visitExpr(e.low, scope);
        visitExpr(e.high, scope);
        return;
      case 'like':
        visitExpr(e.expr, scope);
        visitExpr(e.pattern, scope);
        return;
      case 'exists':
      case 'subquery':
        visitQuery(e.query, scope);
        return;
      default:
        return;
    }
  }

  function visitSelect(s: SqlSelect, outer: Scope | undefined, ctes: Map<string, string[]>): Scope {
    const scope: Scope = { sources: [], parent: outer, ctes, aliases: new Set() };
    scope.sources = sourcesOf(s, scope, true);
    for (const j of s.joins) {
      visitExpr(j.on, scope);
      for (const u of j.using ?? []) resolveColumn({ k: 'column', name: u }, scope);
    }
    for (const item of s.items) {
      if (item.expr.k === 'star') {
        if (
          item.expr.table &&
          !scope.sources.some(
            (x) => lower(x.name) === lower(item.expr.k === 'star' ? item.expr.table! : ''),
          )
        ) {
          problem({
            kind: 'unknown-table',
            name: item.expr.table,
            ref: { as: 'qualifier', name: item.expr.table },
            message: `"${item.expr.table}.*" names no table of this query`,
            suggestions: suggestNames(
              item.expr.table,
              scope.sources.map((x) => x.name),
            ),
          });
        }
        continue;
      }
      visitExpr(item.expr, scope);
    }
    for (const item of s.items) if (item.alias) scope.aliases.add(lower(item.alias));
    visitExpr(s.where, scope);
    for (const g of s.groupBy) visitExpr(g, scope);
    visitExpr(s.having, scope);
    return scope;
  }

  function visitBody(
    b: SqlBody,
    outer: Scope | undefined,
    ctes: Map<string, string[]>,
  ): Scope | undefined {
    if (b.k === 'select') return visitSelect(b, outer, ctes);
    if (b.k === 'query') {
      visitQuery(b.query, outer);
      return undefined;
    }
    const left = visitBody(b.left, outer, ctes);
    visitBody(b.right, outer, ctes);
    return left;
  }

  function visitQuery(q: SqlQuery, outer: Scope | undefined): void {
    const ctes = new Map<string, string[]>();
    const cteScope: Scope = { sources: [], parent: outer, ctes, aliases: new Set() };
    for (const cte of q.with) {
      visitQuery(cte.query, cteScope);
      ctes.set(
        lower(cte.name),
        cte.columns.length ? cte.columns : outputColumns(cte.query, cteScope),
      );
    }
    const scope = visitBody(q.body, outer, ctes) ?? cteScope;
    // ORDER BY sees the select list's aliases and the FROM sources. A bare name that is an
    // output alias is that output column, as in SQLite, even where a source has a column of that
    // name (`ROUND(t.avg, 2) AS avg … ORDER BY avg` orders by the rounded value).
    for (const o of q.orderBy) {
      const e = o.expr;
      const item =
        e.k === 'column' && !e.table && q.body.k === 'select'
          ? q.body.items.find((i) => i.alias && lower(i.alias) === lower(e.name))
          : undefined;
      if (
        e.k === 'column' &&
        item &&
        !(item.expr.k === 'column' && lower(item.expr.name) === lower(e.name))
      )
        resolutions.set(e, { kind: 'alias', column: e.name });
      else visitExpr(e, scope);
    }
    visitExpr(q.limit, scope);
    visitExpr(q.offset, scope);
  }

  visitQuery(query, undefined);
  return {
    query,
    tables,
    columns,
    problems,
    resolve: (c) => resolutions.get(c),
    tableOf: (c) => qualifierTables.get(c),
  };
}

/** A key a query joins on. */
export interface JoinKey extends ForeignKey {
  /** Joined by a LEFT (or RIGHT) JOIN that keeps every row of `fromTable`. */
  outer?: boolean;
}

/**
 * The keys a query joins on: each `a.x = b.y` between columns of two different schema tables
 * (in an ON or a WHERE, subqueries included), in order of appearance, each pair once. A
 * self-join (`T1.id = T2.parent_id` on one table) is not a key between tables and is left out.
 * A key in the ON of an outer join is turned to start from the table whose rows it keeps.
 */
export function joinKeysOf(analysis: SqlAnalysis): JoinKey[] {
  const keys: JoinKey[] = [];
  const seen = new Set<string>();
  // The ON comparisons of outer joins, with the table whose columns may come out NULL.
  const nullable = new Map<
    SqlExpr,
    { table: string; alias: string | undefined; kind: 'LEFT' | 'RIGHT' }
  >();
  // A CTE's column that passes a schema column on (`WITH agg AS (SELECT AlbumId, COUNT(*) …)`,
  // `LEFT JOIN agg ON agg.AlbumId = al.AlbumId`): a key on that column, the CTE standing for
  // its table (`Track.AlbumId`), when the CTE is a grouping or selection of one table.
  const ctes = new Map(analysis.query.with.map((c) => [c.name.toLowerCase(), c.query]));
  const aliases = new Map<string, string>();
  const collect = (b: SqlBody) => {
    if (b.k === 'set') {
      collect(b.left);
      collect(b.right);
      return;
    }
    if (b.k !== 'select') return;
    for (const r of [b.from, ...b.joins.map((j) => j.ref)])
      if (r?.k === 'table' && ctes.has(r.name.toLowerCase()))
        aliases.set((r.alias ?? r.name).toLowerCase(), r.name.toLowerCase());
  };
  collect(analysis.query.body);
  for (const c of analysis.query.with) collect(c.query.body);
  const throughCte = (r: Resolution | undefined, depth = 0): Resolution | undefined => {
    if (r?.kind !== 'derived' || depth > 4) return r;
    const cte = ctes.get(aliases.get(r.source.toLowerCase()) ?? r.source.toLowerCase());
    const b = cte?.body;
    if (b?.k !== 'select') return undefined;
    const item = b.items.find(
      (i) =>
        (i.alias ?? (i.expr.k === 'column' ? i.expr.name : '')).toLowerCase() ===
        r.column.toLowerCase(),
    );
    return item?.expr.k === 'column'
      ? throughCte(analysis.resolve(item.expr), depth + 1)
      : undefined;
  };
  const onJoin = (j: Join) => {
    const kind = j.kind;
    if ((kind !== 'LEFT' && kind !== 'RIGHT') || !j.on || j.ref.k !== 'table') return;
    const table = j.ref.name.toLowerCase();
    const alias = j.ref.alias?.toLowerCase();
    walk(j.on, (e) => {
      if (e.k === 'binary' && e.op === '=') nullable.set(e, { table, alias, kind });
      return e.k === 'nested' || (e.k === 'binary' && e.op === 'AND');
    });
  };
  walkQuery(
    analysis.query,
    (e) => {
      if (e.k !== 'binary' || e.op !== '=' || e.left.k !== 'column' || e.right.k !== 'column')
        return;
      const [ra, rb] = [analysis.resolve(e.left), analysis.resolve(e.right)];
      let a = throughCte(ra);
      let b = throughCte(rb);
      if (a?.kind !== 'table' || b?.kind !== 'table' || a.table === b.table) return;
      const pair = [`${a.table}.${a.column}`, `${b.table}.${b.column}`].sort().join(' = ');
      if (seen.has(pair)) return;
      seen.add(pair);
      const on = nullable.get(e);
      // The side the outer join's table is: a schema table by name, a CTE by its name or alias.
      const isJoined = (r: Resolution | undefined) =>
        !!on &&
        (r?.kind === 'table'
          ? r.table.toLowerCase() === on.table
          : r?.kind === 'derived' && [on.table, on.alias].includes(r.source.toLowerCase()));
      const outer = on && (isJoined(ra) || isJoined(rb)) ? on : undefined;
      // LEFT JOIN t keeps the other side's rows; RIGHT JOIN t keeps t's.
      const keeps = outer && (outer.kind === 'LEFT') !== isJoined(ra);
      if (outer && !keeps) [a, b] = [b, a];
      keys.push({
        fromTable: a.table,
        fromColumn: a.column,
        toTable: b.table,
        toColumn: b.column,
        ...(outer ? { outer: true } : {}),
      });
    },
    onJoin,
  );
  return keys;
}

function allColumns(schema: Schema): string[] {
  return [...new Set(schema.tables.flatMap((t) => t.columns.map((c) => c.name)))];
}
