import { isKeyBetween, type Schema } from '../schema/schema';
import { analyzeSql, type SqlAnalysis } from '../sql/analyze';
import { antiJoinsAsNotIn } from '../sql/anti-joins';
import type {
  ColumnExpr,
  FunctionExpr,
  LiteralExpr,
  SelectItem,
  SqlBody,
  SqlExpr,
  SqlQuery,
  SqlSelect,
  TableRef,
  WindowSpec,
} from '../sql/ast';
import { resolvePositions } from '../sql/positions';
import { printExpr } from '../sql/print';
import {
  AGGREGATE_NAMES,
  disjuncts,
  isAggregate,
  plainColumns,
  walk,
  walkQuery,
} from '../sql/walk';
import { SrCompileError } from './errors';
import { joinTree } from './joins';
import { filterTextIsValue } from './to-sql';

/** SR for a query, and the constructs it could only approximate. */
export interface SqlToSrResult {
  sr: string;
  /** Constructs the SR cannot express faithfully (correlated subqueries, windows…). */
  approximations: string[];
  /**
   * The approximations compiling a trajectory back cannot undo, so the SQL it compiles to
   * would answer another question: copies of a table in different roles (a self-join, eye
   * and hair colour, named alike in SR), a correlated subquery (SR's steps are not
   * correlated), a join with a derived table, a RIGHT or FULL join, a join without a
   * condition (a cross product), a window frame, and anything SR cannot write at all.
   */
  lossy: string[];
  /**
   * Tables the outer SELECT joins only for what the join does to its rows (repeats or drops
   * them: `account JOIN loan ON …` counting accounts), which SR leaves out because it names
   * none of their columns. Compiling with the SQL's join keys joins them again
   * (`SrToSqlOptions.rejoin`); elsewhere in the query such a join is lossy.
   */
  rejoin: string[];
}

type TableName = Extract<TableRef, { k: 'table' }>;

/**
 * Per schema, whether two tables (a sorted lower-case pair) can be joined by keys, and (a
 * pair of `table.column`s after `=`) whether a schema without keys would join them otherwise.
 */
const REACH = new WeakMap<Schema, Map<string, boolean>>();

/** Comparison operators, each with the one that means the same with its sides swapped. */
const COMPARISONS: Record<string, string> = {
  '=': '=',
  '<>': '<>',
  '!=': '!=',
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
};

/**
 * The copies of one table that the SQL tells apart and SR cannot: a table joined to itself
 * (`employee e JOIN employee m ON e.manager_id = m.id`), or copies joined on different keys
 * (`colour e ON s.eye_colour_id = e.id`, `colour h ON s.hair_colour_id = h.id`). Copies
 * joined alike (two `orders` of one customer) are interchangeable, so nothing is lost.
 */
function copiesToldApart(s: SqlSelect, keep: (r: TableRef) => boolean): TableName[][] {
  const byTable = tableCopies(s, keep);
  const tableOf = new Map<string, string>();
  for (const [table, refs] of byTable)
    for (const r of refs) tableOf.set((r.alias ?? r.name).toLowerCase(), table);
  const copied = (alias: string) => (byTable.get(tableOf.get(alias) ?? '')?.length ?? 0) > 1;
  const keysOf = new Map<string, Set<string>>();
  const selfJoined = new Set<string>();
  const conds = [
    ...s.joins.flatMap((j) => (j.on ? conjuncts(j.on) : [])),
    ...(s.where ? conjuncts(s.where) : []),
  ];
  for (const c of conds) {
    // `ww.id = CAST(s.winner_id AS INTEGER)` tells a copy apart as `ww.id = s.winner_id` does.
    const [l, r] = columnEquality(c, true) ?? [];
    if (!l?.table || !r?.table) continue;
    const [la, ra] = [l.table.toLowerCase(), r.table.toLowerCase()];
    if (la === ra) continue;
    if (copied(la) && tableOf.get(la) === tableOf.get(ra)) selfJoined.add(tableOf.get(la)!);
    for (const [alias, col, other, otherCol] of [
      [la, l.name, ra, r.name],
      [ra, r.name, la, l.name],
    ] as const) {
      if (!copied(alias)) continue;
      const key = `${col.toLowerCase()}=${tableOf.get(other) ?? other}.${otherCol.toLowerCase()}`;
      keysOf.set(alias, (keysOf.get(alias) ?? new Set()).add(key));
    }
  }
  const told: TableName[][] = [];
  for (const [table, refs] of byTable) {
    if (refs.length < 2) continue;
    const keys = refs.map((r) =>
      [...(keysOf.get((r.alias ?? r.name).toLowerCase()) ?? [])].sort().join(' '),
    );
    if (selfJoined.has(table) || keys.some((k) => k !== keys[0])) told.push(refs);
  }
  return told;
}

function refName(r: TableRef): string {
  return r.k === 'table' ? r.name : `(${r.alias ?? 'a derived table'})`;
}

/** The two columns of a condition `a.x = b.y` (optionally through CASTs), if it is one. */
function columnEquality(c: SqlExpr, throughCasts = false): [ColumnExpr, ColumnExpr] | undefined {
  const u = unnest(c);
  if (u.k !== 'binary' || u.op !== '=') return undefined;
  const side = (e: SqlExpr): SqlExpr => {
    const x = unnest(e);
    return throughCasts && x.k === 'cast' ? side(x.expr) : x;
  };
  const [l, r] = [side(u.left), side(u.right)];
  return l.k === 'column' && r.k === 'column' ? [l, r] : undefined;
}

/** The table references of a SELECT's FROM and joins by table (lower case), in order. */
function tableCopies(
  s: SqlSelect,
  keep: (r: TableRef) => boolean = () => true,
): Map<string, TableName[]> {
  const byTable = new Map<string, TableName[]>();
  for (const r of [s.from, ...s.joins.map((j) => j.ref)]) {
    if (r?.k !== 'table' || !keep(r)) continue;
    const table = r.name.toLowerCase();
    byTable.set(table, [...(byTable.get(table) ?? []), r]);
  }
  return byTable;
}

/**
 * Writes a query as an action trajectory in BAM's dominant style: one `where` step per
 * conjunct (`dfN = dfM.where(element = t.c, filter = …)`), joins left out, aliases resolved
 * to table names, ORDER BY with LIMIT in one step, and the result as `res = dfN.select(…)`
 * or `.count()`. Subqueries become earlier steps (`tmp_resN`), simple aggregate subqueries
 * stay inline (`filter = max(t.c)`), as BAM writes them.
 */
export function sqlToSr(written: SqlQuery, schema: Schema): SqlToSrResult {
  const query = antiJoinsAsNotIn(resolvePositions(written), schema);
  const analysis = analyzeSql(query, schema);
  const writer = new Writer(analysis, schema);
  writer.outer = query.body.k === 'select' ? query.body : undefined;
  // With common table expressions BAM writes compactly: a frame's conditions in one step.
  writer.compact = query.with.length > 0;
  const result = writer.query(query, 'res');
  if (result !== 'res') writer.emit(`res = ${result}`);
  return {
    sr: writer.lines.join('\n'),
    approximations: [...new Set(writer.approximations)],
    lossy: [...new Set(writer.lossy)],
    rejoin: [...new Set(writer.rejoin)],
  };
}

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name in SR: backticked when it is not a plain word, as BAM mostly writes it. */
export function srName(name: string): string {
  return SIMPLE_NAME.test(name) ? name : `\`${name}\``;
}

/** A string literal in SR (single quotes unless the value contains one). */
export function srString(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return `'${value.replaceAll("'", "\\'")}'`;
}

/**
 * True when a number-like string literal compared with `e` must stay quoted: `e` is computed
 * (no column affinity), so SQLite would compare `'1991'` and `1990` as text against a number.
 */
function keepsQuotes(e: SqlExpr, literal: { type: string; value: string }): boolean {
  return (
    literal.type === 'string' && /^-?\d+(\.\d+)?$/.test(literal.value) && unnest(e).k !== 'column'
  );
}

function quoted(literal: { type: string; value: string }): string {
  return literal.type === 'string' ? `'${literal.value}'` : literal.value;
}

/**
 * The filter for `= 'value'`: the value itself (`'Alameda'`), or `"= '<humor>'"` when the bare
 * value would read as an operator, pattern or range, or lose its spaces.
 */
function equalsFilter(value: string): string {
  if (filterTextIsValue(value) || /['"]/.test(value)) return srString(value);
  return `"= '${value}'"`;
}

class Writer {
  lines: string[] = [];
  approximations: string[] = [];
  lossy: string[] = [];
  rejoin: string[] = [];
  /** Set while a CTE that is LEFT JOINed later is written: its grouping ends in a select. */
  finishGroups = false;
  /** The query's outer SELECT (none for UNION/INTERSECT/EXCEPT). */
  outer: SqlSelect | undefined;
  /** SELECTs reading copies of a table told apart: their items keep their `as` names. */
  private namingCopies = new Set<SqlSelect>();
  /** Derived tables joined beside an earlier result, written as steps (see `select`). */
  private derivedSteps = new Map<TableRef, string>();
  private derivedAliases = new Map<string, string>();
  /** Column names two CTEs the current SELECT reads both have (see `select`). */
  private sharedNames = new Set<string>();
  /** LEFT JOINs with more in their ON than a key (see `onConditionsAsFilters`). */
  private leftOnConditions = new Set<SqlSelect['joins'][number]>();
  /** Chain all conditions of a frame in one step (BAM's style for queries with CTEs). */
  compact = false;
  private df = 0;
  private tmp = 0;
  /** CTE name (lower case) -> variable holding its result. */
  private ctes = new Map<string, string>();
  /** The select being written is an operand of UNION/INTERSECT/EXCEPT (duplicates dropped). */
  private setOperand = false;
  /** CTE name (lower case) -> its query. */
  private cteQueries = new Map<string, SqlQuery>();
  /**
   * One-row results read beside the frame (`FROM a, totals t` where `totals` is
   * `SELECT COUNT(*) AS n …`): name or alias (lower case) -> the variable holding the result
   * and, per column read, the `tmp_res` value it became (`tmp_res1 = df3.select(n)`).
   */
  private scalarSources = new Map<
    string,
    { cte: string; frame: string; single: boolean; values: Map<string, string> }
  >();
  /** Inside a CTE or derived table: select aliases are names later steps use, so keep them. */
  private keepAliases = false;
  /** CTE/derived table name (lower case) -> its pass-through columns -> `table.column`. */
  private passThrough = new Map<string, Map<string, string>>();
  /** Select items of CTEs/derived tables that pass a table column through (no alias needed). */
  private passedItems = new Set<SqlExpr>();
  /** The name of the lone `COUNT(*) AS n` the last select wrote as `.count()` (read as `count`). */
  private loneCount: string | undefined;
  /** SR of aggregates the grouped frame names (`sum(t.c)` -> `total`). */
  private aggNames = new Map<string, string>();
  /**
   * A FROM table no column of the select mentions: `COUNT(*)` names it (`count(t.*)`) so
   * the SR still says which rows are counted, since SR leaves joins out.
   */
  private countTable: string | undefined;
  /** FROM aliases in scope (lower case) -> table names. */
  private qualifiers = new Map<string, string>();
  /** Select-list aliases of the query being written -> their expressions. */
  private aliases = new Map<string, SqlExpr>();

  constructor(
    private readonly analysis: SqlAnalysis,
    private readonly schema: Schema,
  ) {}

  emit(line: string): void {
    this.lines.push(line);
  }

  private nextDf(): string {
    return `df${++this.df}`;
  }

  /** One frame per group of conditions on `cur`, joined by `op` (union / intersect). */
  private combineFrames(cur: string, groups: SqlExpr[][], op: 'union' | 'intersect'): string {
    const frames = groups.map((parts) => {
      const v = this.nextDf();
      this.emit(`${v} = ${cur}.${parts.map((c) => this.where(c)).join('.')}`);
      return v;
    });
    return (
      frames[0]! +
      frames
        .slice(1)
        .map((f) => `.${op}(${f})`)
        .join('')
    );
  }

  private nextTmp(): string {
    return `tmp_res${++this.tmp}`;
  }

  /** Notes an approximation that compiling the trajectory back cannot undo. */
  private lose(what: string): void {
    this.approximations.push(what);
    this.lossy.push(what);
  }

  /**
   * Columns a CTE or derived table passes through unchanged (`SELECT s.School AS Name …`):
   * BAM refers to them by the table column (`schools.School`), not by the new name.
   */
  private recordPassThrough(name: string, q: SqlQuery): void {
    const b = q.body;
    if (b.k !== 'select') return;
    const columns = new Map<string, string>();
    const items = new Map<string, SqlExpr>();
    const seen = new Map<string, number>();
    for (const item of b.items) {
      // `a.*` of an earlier result passes its columns on as they were.
      if (item.expr.k === 'star' && item.expr.table) {
        const q = item.expr.table.toLowerCase();
        const ref = [b.from, ...b.joins.map((j) => j.ref)].find(
          (r) => r && (r.alias ?? (r.k === 'table' ? r.name : '')).toLowerCase() === q,
        );
        const source = ref?.k === 'table' ? ref.name.toLowerCase() : q;
        for (const [key, text] of this.passThrough.get(source) ?? []) columns.set(key, text);
        continue;
      }
      if (item.expr.k !== 'column') continue;
      const r = this.analysis.resolve(item.expr);
      let text: string | undefined;
      if (r?.kind === 'table') text = `${srName(r.table)}.${srName(r.column)}`;
      // A column an earlier CTE passed through, passed on again (`ranked` reading
      // `course_counts.teacher_name`, which is `teacher.Name`).
      else if (r?.kind === 'derived')
        text = this.passedThrough(r.source)?.get(r.column.toLowerCase());
      if (!text) continue;
      seen.set(text, (seen.get(text) ?? 0) + 1);
      columns.set((item.alias ?? item.expr.name).toLowerCase(), text);
      items.set((item.alias ?? item.expr.name).toLowerCase(), item.expr);
    }
    // Two names for one table column (copies of a table) keep their names.
    for (const [key, text] of [...columns]) {
      if ((seen.get(text) ?? 0) > 1) columns.delete(key);
      else this.passedItems.add(items.get(key)!);
    }
    this.passThrough.set(name.toLowerCase(), columns);
  }

  /**
   * A LEFT JOIN as SR says it, `leftjoin(Dogs, on = Owners.owner_id = Dogs.owner_id)`: the
   * table joined, its rows optional, on its ON: an equality of a column of it and one of the
   * rest (either inside an expression: `trim(flights.SourceAirport) = airports.AirportCode`),
   * then any other conditions (`and game.Season == 2010`). The earlier result a query starts
   * from (`start`, written as `startVar`) may be on either side of that equality, by a column
   * it passes on (`leftjoin(df2, on = Owners.owner_id = Dogs.owner_id)`), and then the ON
   * says no more. Undefined for anything else (copies of a table, a computed key, …). With
   * `method` join, the same for an inner join of two results (`df2.join(df5, on = …)`).
   */
  private joinStep(
    s: SqlSelect,
    j: SqlSelect['joins'][number],
    start: TableRef | undefined,
    startVar: string,
    method: 'leftjoin' | 'join' = 'leftjoin',
  ): string | undefined {
    if (!j.on || this.namingCopies.has(s)) return undefined;
    const refs = [s.from, ...s.joins.map((x) => x.ref)];
    const refOf = (c: ColumnExpr) =>
      refs.find((r) => r && c.table && same(r.alias ?? (r.k === 'table' ? r.name : ''), c.table));
    const isTable = (r: TableRef | undefined): r is TableRef & { k: 'table' } =>
      r?.k === 'table' && !this.ctes.has(r.name.toLowerCase());
    const lone = (e: SqlExpr) => {
      const cols = plainColumns(e);
      return cols?.length === 1 ? cols[0] : undefined;
    };
    const parts = conjuncts(j.on);
    const keyOf = (c: SqlExpr) => {
      const u = unnest(c);
      if (u.k !== 'binary' || u.op !== '=') return undefined;
      const [l, r] = [lone(u.left), lone(u.right)];
      if (!l || !r) return undefined;
      const flip = refOf(l) !== j.ref;
      const [mine, theirs] = flip ? [r, l] : [l, r];
      const [mineSide, theirsSide] = flip ? [u.right, u.left] : [u.left, u.right];
      const other = refOf(theirs);
      if (refOf(mine) !== j.ref || !other || other === j.ref) return undefined;
      return { c, mine, theirs, mineSide, theirsSide };
    };
    const key = parts.map(keyOf).find((k) => k !== undefined);
    if (!key) return undefined;
    // A column of the earlier result is the schema column it passes on (as its steps name it);
    // between two results, the column of the step (`df2.customer_id = df3.customer_id`).
    // The step an earlier result is (the start, a CTE, a derived table written as a step).
    const stepOf = (r: TableRef | undefined) =>
      r === undefined
        ? undefined
        : r === start
          ? startVar
          : r.k === 'table'
            ? this.ctes.get(r.name.toLowerCase())
            : this.derivedSteps.get(r);
    const isResult = (r: TableRef | undefined) => stepOf(r) !== undefined;
    const between = isResult(j.ref) && isResult(refOf(key.theirs));
    // The query continues from a grouping of its CTE (see `groupingOf`): that says the join.
    const startCte = start?.k === 'table' ? this.ctes.get(start.name.toLowerCase()) : undefined;
    if (between && startCte && startCte !== startVar) return undefined;
    const text = (side: SqlExpr, c: ColumnExpr) => {
      const r = refOf(c);
      if (r && isResult(r)) {
        const name = r.alias ?? (r.k === 'table' ? r.name : '');
        if (unnest(side).k !== 'column') return undefined;
        const passed = this.passedThrough(name)?.get(c.name.toLowerCase());
        const step = stepOf(r);
        return between ? passed && step && `${step}.${srName(c.name)}` : passed;
      }
      return isTable(r) ? this.expr(side) : undefined;
    };
    const a = text(key.theirsSide, key.theirs);
    const b = text(key.mineSide, key.mine);
    const rest = parts.filter((c) => c !== key.c);
    // Another condition reads the tables' columns, and values no row of them changes (an
    // uncorrelated scalar subquery: `f.Airline = (SELECT uid FROM airlines WHERE …)`).
    const readsTables = (c: SqlExpr): boolean => {
      let ok = true;
      walk(c, (x) => {
        if (x.k === 'subquery' || (x.k === 'in' && x.query)) {
          if (this.isCorrelated(x.k === 'in' ? x.query! : x.query)) ok = false;
          if (x.k === 'in' && !readsTables(x.expr)) ok = false;
          return false;
        }
        if (x.k === 'exists' || isAggregate(x)) ok = false;
        if (x.k === 'column') {
          const r = refOf(x);
          if (!isTable(r) || r === start) ok = false;
        }
        return ok;
      });
      return ok;
    };
    if (rest.length && (isResult(j.ref) || !rest.every(readsTables))) return undefined;
    const table = isTable(j.ref)
      ? this.schema.tables.find((t) => same(t.name, (j.ref as { name: string }).name))
      : undefined;
    // A second CTE or derived table, joined beside the result the query starts from.
    const cte = j.ref !== start ? stepOf(j.ref) : undefined;
    if (cte && (start === undefined || !isResult(start))) return undefined;
    const joined = j.ref === start ? startVar : (cte ?? (table && srName(table.name)));
    if (!joined || !a || !b) return undefined;
    const on = [`${a} = ${b}`, ...rest.map((c) => this.expr(c))].join(' and ');
    return `${method}(${joined}, on = ${on})`;
  }

  /**
   * A derived table written as a step of its own (`tmp_res1 = …`), its aliases kept; with
   * `finish`, a grouping ends in a select (see `query`). Returns the step's variable.
   */
  private derivedStep(ref: TableRef, finish: boolean, countCalled: boolean): string {
    const query = (ref as TableRef & { k: 'derived' }).query;
    this.recordPassThrough(ref.alias ?? '', query);
    const v = this.nextTmp();
    const saved = this.keepAliases;
    this.keepAliases = true;
    this.finishGroups = finish;
    const value = this.query(query, v);
    this.finishGroups = false;
    this.keepAliases = saved;
    if (countCalled) this.countIsCalled(ref.alias ?? '');
    if (value !== v) this.emit(`${v} = ${value}`);
    if (ref.alias) this.derivedAliases.set(ref.alias.toLowerCase(), v);
    return v;
  }

  /** The columns the earlier result a query calls `source` (alias or name) passes through. */
  private passedThrough(source: string): Map<string, string> | undefined {
    const name = source.toLowerCase();
    return this.passThrough.get((this.qualifiers.get(name) ?? name).toLowerCase());
  }

  /** Writes the steps of a query; returns the SR expression (or variable) of its result. */
  query(q: SqlQuery, target: string | undefined): string {
    // CTEs on either side of a LEFT JOIN (`FROM stadium s LEFT JOIN appearances a …`).
    const outerJoined = new Set<string>();
    const names = new Set(q.with.map((c) => c.name.toLowerCase()));
    const cteName = (r: TableRef | undefined) =>
      r?.k === 'table' && names.has(r.name.toLowerCase()) ? r.name.toLowerCase() : undefined;
    for (const b of [q.body, ...q.with.map((c) => c.query.body)]) {
      if (b.k !== 'select') continue;
      // A CTE that reads the other (a grouping of it) is joined beside its rows (see `groupingOf`).
      const reads = (a: string | undefined, other: string | undefined) => {
        const body = q.with.find((c) => c.name.toLowerCase() === a)?.query.body;
        return (
          body?.k === 'select' &&
          [body.from, ...body.joins.map((x) => x.ref)].some((r) => cteName(r) === other)
        );
      };
      for (const j of b.joins) {
        // Two CTEs joined side by side (`join`) likewise.
        const [x, y] = [cteName(j.ref), cteName(b.from)];
        const both = j.kind === 'INNER' && x && y && !reads(x, y) && !reads(y, x);
        if (j.kind !== 'LEFT' && !both) continue;
        for (const name of [cteName(j.ref), cteName(b.from)]) if (name) outerJoined.add(name);
      }
    }
    for (const cte of q.with) {
      // BAM names intermediate results dfN and keeps the aliases later steps refer to.
      this.recordPassThrough(cte.name, cte.query);
      const saved = this.keepAliases;
      this.keepAliases = true;
      // A grouping LEFT JOINed later is a result of its own (`df2 = df1.select(k, n)`), so
      // that the fast preset can join it again as the SQL did (see `outerToSource` in
      // to-sql.ts); otherwise the table beside it would join inside the grouping.
      this.finishGroups = outerJoined.has(cte.name.toLowerCase());
      const value = this.query(cte.query, undefined);
      this.finishGroups = false;
      this.keepAliases = saved;
      this.countIsCalled(cte.name);
      const v = this.nextDf();
      this.emit(`${v} = ${value}`);
      this.ctes.set(cte.name.toLowerCase(), v);
      this.cteQueries.set(cte.name.toLowerCase(), cte.query);
    }
    if (q.body.k === 'select') return this.select(q.body, q, target);
    // `… AS event_date UNION ALL … ORDER BY event_date`: the names the ORDER BY reads stay.
    const saved = this.keepAliases;
    if (q.orderBy.some((o) => readsOutputName(o.expr, q.body))) this.keepAliases = true;
    const body = this.body(q.body);
    this.keepAliases = saved;
    let tail = '';
    if (q.orderBy.length) tail += this.orderBy(q);
    if (q.limit) tail += this.limit(q);
    return body + tail;
  }

  private body(b: SqlBody): string {
    if (b.k === 'select') {
      const v = this.nextTmp();
      const value = this.select(b, undefined, v);
      if (value !== v) this.emit(`${v} = ${value}`);
      return v;
    }
    if (b.k === 'query') {
      const v = this.nextTmp();
      const value = this.query(b.query, v);
      if (value !== v) this.emit(`${v} = ${value}`);
      return v;
    }
    // Each operand's select reads (and clears) the flag.
    const saved = this.setOperand;
    this.setOperand = !b.all;
    const left = this.body(b.left);
    this.setOperand = !b.all;
    const right = this.body(b.right);
    this.setOperand = saved;
    const op = b.op.toLowerCase();
    return b.all ? `${left}.${op}(${right}, all = True)` : `${left}.${op}(${right})`;
  }

  /**
   * ON conditions SR writes as filters. SR joins tables by their keys, so an ON condition on one
   * table alone (`JOIN game g ON s.id = g.stadium_id AND g.Season = 2010`) is a filter like any
   * other (in a LEFT JOIN's ON it is not, and is reported as lost). And `JOIN top t ON x.total = t.max_total` with a one-row CTE or derived table compares
   * with its value; it joins nothing (GPT-4o's "totals per group, then the highest" in two
   * CTEs): those conditions move too, so that the table reads as a value (see `values` below).
   */
  private onConditionsAsFilters(s: SqlSelect): SqlSelect {
    const oneRow = new Set<string>();
    for (const r of [s.from, ...s.joins.map((j) => j.ref)]) {
      const query =
        r?.k === 'derived'
          ? r.query
          : r?.k === 'table'
            ? this.cteQueries.get(r.name.toLowerCase())
            : undefined;
      if (r && query && isOneRow(query))
        oneRow.add((r.alias ?? (r.k === 'table' ? r.name : '')).toLowerCase());
    }
    oneRow.delete('');
    const readsOneRow = (e: SqlExpr) => {
      let found = false;
      walk(e, (x) => {
        if (x.k === 'column' && x.table && oneRow.has(x.table.toLowerCase())) found = true;
        return !found && x.k !== 'subquery';
      });
      return found;
    };
    // A condition on one table's columns alone (no unqualified column) filters that table.
    const filtersOneTable = (c: SqlExpr) => {
      const qualifiers = new Set<string>();
      let unqualified = false;
      walk(c, (x) => {
        if (x.k === 'column') {
          if (x.table) qualifiers.add(x.table.toLowerCase());
          else unqualified = true;
        }
        return x.k !== 'subquery';
      });
      return !unqualified && qualifiers.size <= 1;
    };
    const moved: SqlExpr[] = [];
    const joins = s.joins.map((j) => {
      if ((j.kind !== 'INNER' && j.kind !== 'LEFT') || !j.on) return j;
      const parts = conjuncts(j.on);
      // A condition other than two columns made equal (`ON m.winner_id = w.id OR m.loser_id =
      // w.id`, `AND s.score > t.par`) keeps or drops pairs of rows as it would in the WHERE.
      const notKey = (c: SqlExpr) => !columnEquality(c, true);
      if (j.kind === 'LEFT') {
        // In a LEFT JOIN it limits what joins, not which rows come back: said in the
        // `leftjoin` step's ON, or lost (see `select`).
        if (parts.some((c) => filtersOneTable(c) || notKey(c))) this.leftOnConditions.add(j);
        return j;
      }
      // `JOIN youngest y ON y.Sex = s.Sex AND s.Age = y.min_age`: a column a CTE computes (an
      // aggregate) is no key; equal to a row's column it compares the row with its group's
      // result, a filter (`where(element = Student.Age, filter = min_age)`).
      const computed = (c: SqlExpr) =>
        (columnEquality(c) ?? []).some((x) => {
          const r = this.analysis.resolve(x);
          if (r?.kind !== 'derived') return false;
          const source = r.source.toLowerCase();
          const name = (this.qualifiers.get(source) ?? source).toLowerCase();
          const through = this.cteQueries.has(name) ? this.passThrough.get(name) : undefined;
          if (through === undefined || through.has(r.column.toLowerCase())) return false;
          // A key the CTE computes (`TRIM(f.SourceAirport) AS airport_code`) is no aggregate
          // to compare rows with, and SR → SQL would join on the table's own key instead.
          const body = this.cteQueries.get(name)?.body;
          const item =
            body?.k === 'select'
              ? body.items.find((i) => i.alias?.toLowerCase() === r.column.toLowerCase())
              : undefined;
          if (item && !isAggregate(unnest(item.expr)))
            this.lose(`a join with ${name} on a column it computes (${r.column})`);
          return true;
        });
      const moves = (c: SqlExpr) =>
        readsOneRow(c) || filtersOneTable(c) || notKey(c) || computed(c);
      if (!parts.some(moves)) return j;
      moved.push(...parts.filter(moves));
      const keep = parts.filter((c) => !moves(c));
      const on = keep.length
        ? keep.reduce((l, r) => ({ k: 'binary', op: 'AND', left: l, right: r }))
        : undefined;
      return { ...j, on };
    });
    if (moved.length === 0) return s;
    const where = [...(s.where ? [s.where] : []), ...moved].reduce((l, r) => ({
      k: 'binary',
      op: 'AND',
      left: l,
      right: r,
    }));
    return { ...s, joins, where };
  }

  private select(s: SqlSelect, q: SqlQuery | undefined, _target: string | undefined): string {
    const finishGroup = this.finishGroups;
    this.finishGroups = false;
    const savedAliases = this.aliases;
    const savedQualifiers = this.qualifiers;
    this.qualifiers = new Map(savedQualifiers);
    for (const ref of [s.from, ...s.joins.map((j) => j.ref)]) {
      if (ref?.k === 'table' && ref.alias) this.qualifiers.set(ref.alias.toLowerCase(), ref.name);
    }
    this.aliases = new Map(savedAliases);
    for (const item of s.items) {
      if (item.alias) this.aliases.set(item.alias.toLowerCase(), item.expr);
    }
    s = this.onConditionsAsFilters(s);
    const savedCountTable = this.countTable;
    this.countTable = this.unreferencedTable(s, q);
    let cur = 'df';
    const semiJoins = new Map<SqlSelect['joins'][number], SqlExpr>();
    const distinctRows = s.distinct || this.setOperand;
    this.setOperand = false;
    // `FROM b JOIN a ON b.k = a.k` where only the ON reads b: the same inner join written
    // `FROM a JOIN b`, so that b is the one that filters (below).
    const first = s.joins[0];
    if (first?.kind === 'INNER' && s.from?.k === 'table' && first.ref.k === 'table') {
      const swapped: SqlSelect = {
        ...s,
        from: first.ref,
        joins: [{ ...first, ref: s.from }, ...s.joins.slice(1)],
      };
      if (this.tableSemiJoin(swapped, q, swapped.joins[0]!, distinctRows)) s = swapped;
    }
    for (const j of s.joins) {
      const semi =
        j.kind === 'INNER'
          ? (this.semiJoin(s, q, j) ?? this.tableSemiJoin(s, q, j, distinctRows))
          : undefined;
      if (semi) semiJoins.set(j, semi);
    }
    // A CTE or derived table of one row read beside others (`FROM a, totals t`, `JOIN (SELECT
    // COUNT(*) AS n …) t` without a key) is a value, not rows to join: its columns become
    // values (see `column`). Alone in the FROM it is still the frame.
    const isCte = (r: TableRef | undefined) =>
      r?.k === 'table' && this.ctes.has(r.name.toLowerCase());
    const queryOf = (r: TableRef | undefined) =>
      r?.k === 'derived'
        ? r.query
        : r?.k === 'table'
          ? this.cteQueries.get(r.name.toLowerCase())
          : undefined;
    const sources = [s.from, ...s.joins.filter((j) => !semiJoins.has(j)).map((j) => j.ref)];
    // Joined on a key, it filters rows instead (left as it is).
    const keyed = (r: TableRef) =>
      s.joins.some((j) => {
        if (j.using?.length || j.natural) return true;
        let named = false;
        if (j.on)
          walk(j.on, (x) => {
            const qualifier = x.k === 'column' ? x.table?.toLowerCase() : undefined;
            if (
              qualifier &&
              (qualifier === r.alias?.toLowerCase() ||
                (r.k === 'table' && qualifier === r.name.toLowerCase()))
            )
              named = true;
            return !named;
          });
        return named;
      });
    const values = new Set(
      sources.length > 1
        ? sources.filter((r) => {
            const query = queryOf(r);
            return r !== undefined && query !== undefined && isOneRow(query) && !keyed(r);
          })
        : [],
    );
    // The frame starts from an earlier result: the FROM's derived table or CTE, else the one
    // joined (`FROM account JOIN (SELECT …) t ON …`); schema tables are read beside it.
    const plainFrom = s.from?.k === 'table' && !isCte(s.from);
    const start =
      s.from && !plainFrom
        ? values.has(s.from)
          ? sources.find((r) => r !== s.from && !values.has(r) && (r?.k === 'derived' || isCte(r)))
          : s.from
        : s.joins.find(
            (j) =>
              !semiJoins.has(j) && !values.has(j.ref) && (j.ref.k === 'derived' || isCte(j.ref)),
          )?.ref;
    const savedScalars = this.scalarSources;
    this.scalarSources = new Map(savedScalars);
    // Two CTEs read side by side with a column of the same name (`flight_count` of each): each
    // is named by its step (`df3.flight_count`), not by the bare name SR gives one.
    const savedShared = this.sharedNames;
    this.sharedNames = new Set();
    const seen = new Set<string>();
    for (const r of sources) {
      const body =
        (r?.k === 'table' && isCte(r)) || r?.k === 'derived' ? queryOf(r)?.body : undefined;
      if (body?.k !== 'select') continue;
      const names = body.items.flatMap((i) =>
        i.alias ? [i.alias] : i.expr.k === 'column' ? [i.expr.name] : [],
      );
      for (const n of new Set(names.map((x) => x.toLowerCase()))) {
        if (seen.has(n)) this.sharedNames.add(n);
        seen.add(n);
      }
    }
    for (const ref of values) {
      if (!ref) continue;
      const query = queryOf(ref)!;
      const name = ref.k === 'table' ? ref.name.toLowerCase() : (ref.alias ?? '').toLowerCase();
      let frame = ref.k === 'table' ? this.ctes.get(name)! : '';
      if (ref.k === 'derived') {
        this.recordPassThrough(name, query);
        frame = this.nextTmp();
        const saved = this.keepAliases;
        this.keepAliases = true;
        const value = this.query(query, frame);
        this.keepAliases = saved;
        this.countIsCalled(name);
        if (value !== frame) this.emit(`${frame} = ${value}`);
      }
      const single = isSingleColumn(query);
      const source = { cte: name, frame, single, values: new Map<string, string>() };
      this.scalarSources.set(name, source);
      if (ref.alias) this.scalarSources.set(ref.alias.toLowerCase(), source);
    }
    if (start?.k === 'derived') {
      // On either side of a LEFT JOIN, or joined to another result, its grouping ends in a
      // select, as a CTE's does (see `query`).
      const finish = s.joins.some(
        (j) => j.kind === 'LEFT' || j.ref.k === 'derived' || isCte(j.ref),
      );
      cur = this.derivedStep(start, finish, true);
    } else if (start?.k === 'table' && isCte(start)) {
      cur = this.ctes.get(start.name.toLowerCase())!;
      // `FROM a JOIN m ON m.k = a.k AND a.x = m.max_x` where m groups a by k: the rows of a,
      // each beside its group's result, are the grouping's (`df2.where(element = …, filter
      // = max_x)`), as for a table and its own grouping (see `groupCorrelated`).
      const grouping = this.groupingOf(s, start);
      if (grouping) cur = grouping;
    }
    // SR names columns by table, so copies of one table (a self-join, or one table in two
    // roles: eye and hair colour) read as one, and which key each copy joined on is lost.
    for (const refs of copiesToldApart(s, (r) => !isCte(r))) {
      const names = refs.map((r) => r.alias ?? r.name).join(', ');
      this.namingCopies.add(s);
      this.lose(
        `${refs.length} copies of ${refs[0]!.name} (${names}), ${refs.length === 2 ? 'both' : 'all'} named ${refs[0]!.name}`,
      );
    }
    // SR joins tables by their keys: it cannot say "every row with every row".
    const kept = (r: TableRef) => sources.includes(r) && !values.has(r) && !isCte(r);
    for (const r of this.unlinked(s, kept))
      this.lose(`a join of ${r.name} without a condition (every row with every row)`);
    const startVar = cur;
    const joinSteps: { step: string; ofStart: boolean; between?: boolean }[] = [];
    const isResult = (r: TableRef | undefined) => r?.k === 'derived' || isCte(r);
    for (const j of s.joins) {
      const derived =
        j.ref.k === 'derived' && !semiJoins.has(j) && j.ref !== start && !values.has(j.ref);
      // A second derived table beside the result the query starts from: a step of its own,
      // joined (`leftjoin` or `join`) as a CTE would be.
      if (derived && isResult(start) && (j.kind === 'LEFT' || j.kind === 'INNER')) {
        this.derivedSteps.set(j.ref, this.derivedStep(j.ref, true, false));
      }
      // Two results side by side (`FROM a JOIN b ON b.k = a.k`, CTEs or derived): `join`.
      const second =
        j.kind === 'INNER' &&
        !semiJoins.has(j) &&
        j.ref !== start &&
        isResult(j.ref) &&
        isResult(start)
          ? this.joinStep(s, j, start, startVar, 'join')
          : undefined;

      if (second) joinSteps.push({ step: second, ofStart: false, between: true });
      const left = j.kind === 'LEFT' ? this.joinStep(s, j, start, startVar) : undefined;
      if (derived && !second && !left) this.lose('a join with a derived table');
      if (left) joinSteps.push({ step: left, ofStart: j.ref === start });
      else if (j.kind === 'LEFT') {
        if (this.leftOnConditions.has(j))
          this.lose(`a condition in the ON of the LEFT JOIN with ${refName(j.ref)}`);
        // Else it comes back from the SQL's own join keys (see deterministicFinalSql).
        this.approximations.push('LEFT JOIN (written as a plain join)');
      }
      // `ON a.x = r.x AND a.y = r.y`: SR names no key; the SQL's own keys restore all of them.
      if (!left && j.on && conjuncts(j.on).filter((c) => columnEquality(c)).length > 1)
        this.approximations.push('a join on several columns (SR says no key)');
      if (j.kind === 'RIGHT' || j.kind === 'FULL')
        this.lose(`${j.kind} JOIN (written as a plain join)`);
    }
    for (const table of this.rowChangingJoins(s, q, semiJoins)) {
      const what = `the join with ${table}, which only repeats or drops rows (SR names none of its columns)`;
      if (s === this.outer && !start) {
        this.approximations.push(what);
        this.rejoin.push(table);
      } else this.lose(what);
    }
    let conds = [
      ...this.unreachableKeys(s),
      ...(s.where ? conjuncts(s.where) : []),
      ...semiJoins.values(),
    ];
    // Rows compared with an aggregate of their own group (the same table, correlated on its
    // columns): a grouping first, then each row beside its group's result.
    // Likewise for the rows of a CTE the query reads (`FROM spend a WHERE a.total = (SELECT
    // MAX(b.total) FROM spend b WHERE b.Country = a.Country)`): a grouping of that result.
    const fromCte = start?.k === 'table' && isCte(start) && s.from === start ? start : undefined;
    if (cur === 'df' || (fromCte && cur === this.ctes.get(fromCte.name.toLowerCase()))) {
      const base = cur;
      const groupings = conds.flatMap((c) => this.groupCorrelated(s, c) ?? []);
      for (const g of groupings.filter((x) => base === 'df' || same(x.table, fromCte!.name))) {
        const grouped = this.nextDf();
        const rows = [base, ...g.filters].join('.');
        this.emit(`${grouped} = ${rows}.groupby(${g.keys.join(', ')}).agg(${g.agg} as ${g.name})`);
        const v = this.nextDf();
        const filter = g.op === '=' ? g.name : `'${g.op} ${g.name}'`;
        this.emit(`${v} = ${grouped}.where(element = ${g.element}, filter = ${filter})`);
        cur = v;
        conds = conds.filter((c) => c !== g.cond);
      }
    }
    for (const { step, ofStart, between } of joinSteps) {
      // `df.leftjoin(df2, …)`: the earlier result joined to the schema tables, read from then on.
      if (between && cur !== startVar) {
        this.lose('a join of two earlier results, one of them grouped again');
        continue;
      }
      if (ofStart && cur !== startVar) {
        this.approximations.push('LEFT JOIN (written as a plain join)');
        continue;
      }
      const v = this.nextDf();
      this.emit(`${v} = ${ofStart ? 'df' : cur}.${step}`);
      cur = v;
    }
    const top = this.topOne(s, q, conds);
    const union = top || s.groupBy.length || s.having ? undefined : this.unionParts(s, q, conds);
    if (union) {
      cur = this.combineFrames(cur, union, 'union');
    }
    // Consecutive conditions on the same column (a range) share one step, as BAM writes them.
    let rest = union ? [] : [...conds.filter((c) => c !== top?.cond), ...(top?.own ?? [])];
    const copies =
      union || s.groupBy.length || s.having || q?.orderBy.length || q?.limit
        ? undefined
        : this.selfJoinParts(s, rest);
    if (copies) rest = copies.shared;
    for (let i = 0; i < rest.length; i++) {
      let step = this.where(rest[i]!);
      const element = this.elementOf(rest[i]!);
      while (
        i + 1 < rest.length &&
        (this.compact ||
          (element !== undefined &&
            this.elementOf(rest[i + 1]!) === element &&
            !isEquality(rest[i]!) &&
            !isEquality(rest[i + 1]!)))
      )
        step += `.${this.where(rest[++i]!)}`;
      const v = this.nextDf();
      this.emit(`${v} = ${cur}.${step}`);
      cur = v;
    }
    if (copies) {
      // Conditions on two copies of one table (a self-join): one frame per copy, intersected.
      cur = this.combineFrames(cur, copies.perCopy, 'intersect');
    }
    if (top) {
      this.approximations.push(
        'a MAX/MIN subquery (written as the first row in order; ties dropped)',
      );
      const v = this.nextDf();
      this.emit(
        `${v} = ${cur}.orderby(by = ${this.expr(top.by)}${top.desc ? ', desc' : ''}).limit(1)`,
      );
      cur = v;
    }
    let groupedOrder = false;
    let bareGroup: string | undefined;
    let loneCount: string | undefined;
    if (s.groupBy.length) {
      const aggs = this.aggregatesOf(s, q);
      const keys = s.groupBy.map((g) => this.expr(g)).join(', ');
      // BAM's grouping: `.agg(sum(t.c))` referred to by the same text later; a lone
      // COUNT(*) is `.count()`, referred to as `count`.
      const named = new Map<string, string>();
      let agg = '';
      if (s.having) {
        // BAM chains HAVING straight onto the grouping.
        agg = conjuncts(s.having)
          .map((c) => `.${this.where(c, 'having')}`)
          .join('');
      } else if (aggs.length === 1 && aggs[0] === 'count()') {
        agg = '.count()';
        named.set('count()', 'count');
      } else if (aggs.length) {
        agg = `.agg(${aggs.join(', ')})`;
      }
      this.aggNames = named;
      // Ordered by an aggregate the select does not show: BAM orders the groups directly
      // (`groupby(k).orderby(by = count(t.c), desc).limit(1)`).
      const orderOnly =
        !s.having &&
        q !== undefined &&
        q.orderBy.length > 0 &&
        aggs.length > 0 &&
        this.aggregatesOf(s, undefined).length === 0;
      const v = this.nextDf();
      if (orderOnly) {
        this.aggNames = new Map();
        this.emit(
          `${v} = ${cur}.groupby(${keys})${this.orderBy(q!)}${q!.limit ? this.limit(q!) : ''}`,
        );
        cur = v;
        groupedOrder = true;
      } else if (
        this.keepAliases &&
        !finishGroup &&
        !s.having &&
        !s.distinct &&
        !q?.orderBy.length &&
        !q?.limit &&
        aggs.length > 0 &&
        this.selectsKeysThenAggregates(s, aggs)
      ) {
        // A grouped CTE or derived table: BAM names the aggregates inside the grouping step
        // (`df1 = df.groupby(t.k).agg(sum(t.v) as total)`), the names later steps use; a lone
        // COUNT(*) stays `.count()`.
        this.df--;
        const asNamed = (i: SelectItem) => {
          const text = this.expr(i.expr);
          return i.alias ? `${text} as ${srName(i.alias)}` : text;
        };
        const named = s.items.slice(s.groupBy.length).map(asNamed);
        // A key under a name of its own (`SUBSTR(d, 1, 4) AS year … GROUP BY year`) keeps it:
        // later steps read `year`.
        const namedKeys = s.items
          .slice(0, s.groupBy.length)
          .map((i) =>
            i.alias &&
            (i.expr.k !== 'column' || i.expr.name.toLowerCase() !== i.alias.toLowerCase())
              ? asNamed(i)
              : this.expr(i.expr),
          )
          .join(', ');
        const lone = named.length === 1 && aggs.length === 1 && aggs[0] === 'count()';
        bareGroup = `${cur}.groupby(${namedKeys})${lone ? '.count()' : `.agg(${named.join(', ')})`}`;
        if (lone) loneCount = s.items[s.groupBy.length]?.alias;
      } else if (
        !s.having &&
        !s.distinct &&
        !this.keepAliases &&
        !q?.orderBy.length &&
        !q?.limit &&
        this.selectsKeysThenAggregates(s, aggs)
      ) {
        // `SELECT k, COUNT(*) … GROUP BY k`: the grouping is the result (`res = df1.groupby(k).count()`).
        this.df--;
        bareGroup = `${cur}.groupby(${keys})${agg}`;
      } else {
        this.emit(`${v} = ${cur}.groupby(${keys})${agg}`);
        cur = v;
      }
    } else if (s.having) {
      const step = this.where(s.having, 'having');
      const v = this.nextDf();
      this.emit(`${v} = ${cur}.${step}`);
      cur = v;
    }
    const ratio =
      !s.groupBy.length && !s.having && !s.distinct ? this.conditionalCounts(s, cur) : undefined;
    if (ratio) {
      this.aliases = savedAliases;
      this.qualifiers = savedQualifiers;
      this.scalarSources = savedScalars;
      this.sharedNames = savedShared;
      this.countTable = savedCountTable;
      let result = `df.select(${ratio})`;
      if (q?.limit) result += this.limit(q);
      return result;
    }
    const ordered = q !== undefined && q.orderBy.length > 0;
    // SELECT DISTINCT … ORDER BY: BAM orders the distinct selection (`select(a).distinct().orderby(…)`).
    const distinctOrder = ordered && s.distinct && !s.groupBy.length;
    if (ordered && !groupedOrder && !distinctOrder) {
      const step = `${this.orderBy(q!)}${q!.limit ? this.limit(q!) : ''}`;
      const v = this.nextDf();
      this.emit(`${v} = ${cur}${step}`);
      cur = v;
    }
    let result = bareGroup ?? `${cur}${this.projection(s)}`;
    if (distinctOrder) result += `${this.orderBy(q!)}${q!.limit ? this.limit(q!) : ''}`;
    if (!ordered && q?.limit && !top) result += this.limit(q);
    this.aliases = savedAliases;
    this.qualifiers = savedQualifiers;
    this.scalarSources = savedScalars;
    this.sharedNames = savedShared;
    this.countTable = savedCountTable;
    this.aggNames = new Map();
    this.loneCount = loneCount;
    return result;
  }

  /**
   * `SELECT DISTINCT a.x FROM a JOIN b ON a.k = b.k` where nothing else reads b (a join that
   * only keeps the rows of a with a match): the filter `a.k IN (SELECT b.k FROM b)`, since SR
   * leaves joins out and the trajectory would otherwise lose it. Only where duplicates are
   * dropped anyway (DISTINCT, UNION/INTERSECT/EXCEPT), so the rows are the same. BAM drops
   * such joins (3 items in bird-dev-even, 2 of them then equal to our SR before this).
   */
  private tableSemiJoin(
    s: SqlSelect,
    q: SqlQuery | undefined,
    j: SqlSelect['joins'][number],
    distinctRows: boolean,
  ): SqlExpr | undefined {
    // Counted or summed rows would change with the join's duplicates: left as BAM leaves it.
    if (!distinctRows) return undefined;
    if (j.ref.k !== 'table' || this.ctes.has(j.ref.name.toLowerCase()) || !j.on) return undefined;
    // Aggregates count the join's duplicates before DISTINCT drops any.
    let aggregate = s.groupBy.length > 0 || s.having !== undefined;
    for (const i of s.items)
      walk(i.expr, (x) => {
        if (isAggregate(x)) aggregate = true;
        return !aggregate && x.k !== 'subquery';
      });
    if (aggregate) return undefined;
    const table = this.schema.tables.find(
      (t) => t.name.toLowerCase() === (j.ref as { name: string }).name.toLowerCase(),
    );
    if (!table) return undefined;
    const names = new Set([table.name.toLowerCase(), (j.ref.alias ?? '').toLowerCase()]);
    const ofB = (e: SqlExpr) => {
      if (e.k !== 'column') return false;
      if (e.table) return names.has(e.table.toLowerCase());
      const r = this.analysis.resolve(e);
      return r?.kind === 'table' && r.table.toLowerCase() === table.name.toLowerCase();
    };
    const on = unnest(j.on);
    if (on.k !== 'binary' || on.op !== '=') return undefined;
    const [l, r] = [unnest(on.left), unnest(on.right)];
    const [outer, key] = ofB(r) ? [l, r] : [r, l];
    if (!ofB(key) || outer.k !== 'column' || ofB(outer) || key.k !== 'column') return undefined;
    // Nothing but the ON condition may read b.
    const readsB = (x: SqlExpr) =>
      (x.k === 'column' && ofB(x)) ||
      (x.k === 'star' && (!x.table || names.has(x.table.toLowerCase())));
    if (readOutsideOn(s, q, j, readsB)) return undefined;
    const column = table.columns.find((c) => c.name.toLowerCase() === key.name.toLowerCase());
    const query: SqlQuery = {
      with: [],
      body: {
        k: 'select',
        distinct: false,
        items: [{ expr: { k: 'column', table: table.name, name: column?.name ?? key.name } }],
        from: { k: 'table', name: table.name },
        joins: [],
        groupBy: [],
      },
      orderBy: [],
    };
    return { k: 'in', expr: outer, query, not: false };
  }

  /**
   * `JOIN (SELECT k … ORDER BY … LIMIT 2) T ON t.c = T.k` where nothing else reads T: a filter
   * `t.c IN (SELECT k …)`. The same rows when T's keys are unique (grouped by k, one row, or
   * DISTINCT); else duplicates are dropped, which is noted.
   */
  private semiJoin(
    s: SqlSelect,
    q: SqlQuery | undefined,
    j: SqlSelect['joins'][number],
  ): SqlExpr | undefined {
    if (j.ref.k !== 'derived' || !j.on || j.ref.query.body.k !== 'select') return undefined;
    const alias = (j.ref.alias ?? '').toLowerCase();
    const fromT = (e: SqlExpr) => {
      const r = e.k === 'column' ? this.analysis.resolve(e) : undefined;
      return r?.kind === 'derived' && r.source.toLowerCase() === alias ? r.column : undefined;
    };
    const on = unnest(j.on);
    if (on.k !== 'binary' || on.op !== '=') return undefined;
    const [outer, key] = fromT(unnest(on.right))
      ? [unnest(on.left), fromT(unnest(on.right))!]
      : [unnest(on.right), fromT(unnest(on.left))];
    if (!key || outer.k !== 'column' || fromT(outer)) return undefined;
    // Nothing but the ON condition may read the derived table.
    const readsT = (x: SqlExpr) =>
      (x.k === 'column' && fromT(x) !== undefined) ||
      (x.k === 'star' && x.table?.toLowerCase() === alias);
    if (s.items.some((i) => i.expr.k === 'star' && !i.expr.table)) return undefined;
    if (readOutsideOn(s, q, j, readsT)) return undefined;
    const body = j.ref.query.body;
    const item = body.items.find(
      (i) =>
        (i.alias ?? (i.expr.k === 'column' ? i.expr.name : '')).toLowerCase() === key.toLowerCase(),
    );
    if (!item) return undefined;
    // The other items' names must not be needed by the derived query itself (HAVING n > 10).
    const dropped = new Set(
      body.items.filter((i) => i !== item && i.alias).map((i) => i.alias!.toLowerCase()),
    );
    let needsDropped = false;
    for (const e of [body.where, body.having, ...j.ref.query.orderBy.map((o) => o.expr)])
      if (e)
        walk(e, (x) => {
          if (x.k === 'column' && !x.table && dropped.has(x.name.toLowerCase()))
            needsDropped = true;
          return !needsDropped;
        });
    if (needsDropped) return undefined;
    const unique =
      body.distinct ||
      (body.groupBy.length === 1 &&
        JSON.stringify(unnest(body.groupBy[0]!)) === JSON.stringify(unnest(item.expr))) ||
      (j.ref.query.limit?.k === 'literal' && j.ref.query.limit.value === '1') ||
      (!body.groupBy.length && body.items.every((i) => isAggregate(i.expr)));
    if (!unique)
      this.approximations.push('a join with a derived table (written as IN; duplicates dropped)');
    const query: SqlQuery = { ...j.ref.query, body: { ...body, items: [item] } };
    return { k: 'in', expr: outer, query, not: false };
  }

  /**
   * The schema tables of `s` that nothing reads but the ON condition joining them, joined on
   * columns other than their primary key: each row of the rest meets none or several of
   * theirs. SR names no column of them, so it leaves them out. Tables joined on their primary
   * key (looked up: one match per row), bridges between two others (read in two ONs; joins
   * are inferred again through them), copies of one table and the table `count(t.*)` names
   * are not listed.
   */
  private rowChangingJoins(
    s: SqlSelect,
    q: SqlQuery | undefined,
    semiJoins: ReadonlyMap<SqlSelect['joins'][number], SqlExpr>,
  ): string[] {
    const refs = [s.from, ...s.joins.filter((j) => !semiJoins.has(j)).map((j) => j.ref)];
    const tables = refs.filter(
      (r): r is TableName => r?.k === 'table' && !this.ctes.has(r.name.toLowerCase()),
    );
    let countsStar = false;
    for (const e of [
      ...s.items.map((i) => i.expr),
      s.having,
      ...(q?.orderBy ?? []).map((o) => o.expr),
    ])
      if (e)
        walk(e, (x) => {
          if (x.k === 'function' && x.name.toLowerCase() === 'count' && x.star) countsStar = true;
          return !countsStar;
        });
    const readerOf = (r: TableName) => {
      const lower = r.name.toLowerCase();
      const name = (r.alias ?? r.name).toLowerCase();
      const ofR = (x: SqlExpr): x is ColumnExpr => {
        if (x.k !== 'column') return false;
        if (x.table) return x.table.toLowerCase() === name;
        const res = this.analysis.resolve(x);
        return res?.kind === 'table' && res.table.toLowerCase() === lower;
      };
      const reads = (x: SqlExpr): boolean => {
        if (ofR(x) || (x.k === 'star' && (!x.table || x.table.toLowerCase() === name))) return true;
        const sub = x.k === 'subquery' || x.k === 'exists' || x.k === 'in' ? x.query : undefined;
        let inside = false;
        if (sub)
          walkQuery(sub, (y) => {
            if (y.k === 'column' && y.table?.toLowerCase() === name) inside = true;
          });
        return inside;
      };
      // A join written as a filter (`semiJoins`) is read by SR as a filter, not an ON.
      const readingOns = s.joins.filter((j) => {
        if (semiJoins.has(j)) return false;
        let hit = false;
        if (j.on)
          walk(j.on, (x) => {
            hit ||= ofR(x);
            return !hit;
          });
        return hit;
      });
      return { ofR, reads, readingOns };
    };
    const named = (t: TableName) => {
      const { reads } = readerOf(t);
      let found = readOutsideOn(s, q, undefined, reads);
      for (const c of semiJoins.values())
        walk(c, (x) => {
          found ||= reads(x);
          return !found;
        });
      return found;
    };
    const out: string[] = [];
    for (const r of tables) {
      const lower = r.name.toLowerCase();
      if (tables.filter((t) => t.name.toLowerCase() === lower).length > 1) continue;
      if (countsStar && this.countTable?.toLowerCase() === lower) continue;
      const table = this.schema.tables.find((t) => t.name.toLowerCase() === lower);
      if (!table) continue;
      const { ofR, reads, readingOns } = readerOf(r);
      let join = readingOns[0];
      if (readingOns.length > 1) {
        // Between two tables (`event ← news_report → journalist`, only the event named): judged
        // by its join towards the tables the trajectory names.
        if (named(r)) continue;
        const all = [s.from, ...s.joins.map((x) => x.ref)];
        const towards = readingOns.filter((j) =>
          all.some(
            (x) => x?.k === 'table' && x !== r && readerOf(x).readingOns.includes(j) && named(x),
          ),
        );
        if (towards.length !== 1) continue;
        join = towards[0];
      } else if (readingOns.length !== 1 || readOutsideOn(s, q, join!, reads)) continue;
      if (join!.kind !== 'INNER' || !join!.on) continue;
      const keyColumns = new Set<string>();
      // A lookup keeps every row only along a foreign key to this table (else a row may have
      // nothing to look up: `JOIN Statements s ON s.Statement_ID = d.Document_ID`).
      let referenced = true;
      for (const c of conjuncts(join!.on!)) {
        const pair = columnEquality(c);
        if (!pair) continue;
        const [a, b] = pair;
        if (ofR(a) === ofR(b)) continue;
        const [mine, other] = ofR(a) ? [a, b] : [b, a];
        keyColumns.add(mine.name.toLowerCase());
        const from = this.analysis.resolve(other);
        referenced &&=
          from?.kind === 'table' &&
          isKeyBetween(this.schema.foreignKeys, from, { table: table.name, column: mine.name });
      }
      if (keyColumns.size === 0) continue;
      const looked =
        referenced &&
        table.primaryKey.length > 0 &&
        table.primaryKey.every((c) => keyColumns.has(c.toLowerCase()));
      if (!looked) out.push(table.name);
    }
    return out;
  }

  /**
   * The schema tables of the FROM clause (those `kept` says) that no condition links, directly
   * or through others, to the largest linked group (`FROM a, b, c WHERE b.k = c.k` leaves `a`;
   * `JOIN s` without `ON` leaves `s`): each of their rows is paired with every row of the rest.
   */
  private unlinked(s: SqlSelect, kept: (r: TableRef) => boolean): TableName[] {
    const refs = [s.from, ...s.joins.map((j) => j.ref)].filter(
      (r): r is TableRef => r !== undefined,
    );
    if (refs.length < 2) return [];
    const parent = refs.map((_, i) => i);
    const find = (i: number): number => {
      let root = i;
      while (parent[root] !== root) root = parent[root]!;
      return root;
    };
    const link = (a: number, b: number) => {
      parent[find(a)] = find(b);
    };
    const indexOf = (c: ColumnExpr): number => {
      if (c.table) {
        const q = c.table.toLowerCase();
        return refs.findIndex(
          (r) => (r.alias ?? (r.k === 'table' ? r.name : '')).toLowerCase() === q,
        );
      }
      const res = this.analysis.resolve(c);
      if (res?.kind !== 'table') return -1;
      const hits = refs.flatMap((r, i) => (r.k === 'table' && same(r.name, res.table) ? [i] : []));
      return hits.length === 1 ? hits[0]! : -1;
    };
    const conds = [...s.joins.map((j) => j.on), s.where].flatMap((e) => (e ? conjuncts(e) : []));
    for (const c of conds) {
      const read = new Set<number>();
      walk(c, (x) => {
        if (x.k === 'column') read.add(indexOf(x));
        return x.k !== 'subquery' && x.k !== 'exists';
      });
      read.delete(-1);
      const [first, ...rest] = [...read];
      for (const i of rest) link(first!, i);
    }
    // `JOIN t USING (k)` and NATURAL JOIN link t to what comes before it.
    for (const j of s.joins) {
      const i = refs.indexOf(j.ref);
      if (i > 0 && (j.using?.length || j.natural)) link(i, 0);
    }
    // Of equally large groups, the one read first.
    const size = new Map<number, number>();
    for (let i = 0; i < refs.length; i++) size.set(find(i), (size.get(find(i)) ?? 0) + 1);
    let largest = find(0);
    for (let i = 0; i < refs.length; i++)
      if (size.get(find(i))! > size.get(largest)!) largest = find(i);
    return refs.filter((r, i): r is TableName => r.k === 'table' && kept(r) && find(i) !== largest);
  }

  /** Later steps read a CTE's lone `COUNT(*) AS n`, written `.count()`, as `count` (BAM's name). */
  private countIsCalled(name: string): void {
    const alias = this.loneCount;
    this.loneCount = undefined;
    if (!alias) return;
    const key = name.toLowerCase();
    if (!this.passThrough.has(key)) this.passThrough.set(key, new Map());
    this.passThrough.get(key)!.set(alias.toLowerCase(), 'count');
  }

  /** Whether `e` is a column of the schema outside its table's primary key (so maybe NULL). */
  private mayBeNull(e: SqlExpr): boolean {
    const r = e.k === 'column' ? this.analysis.resolve(e) : undefined;
    if (r?.kind !== 'table') return false;
    const table = this.schema.tables.find((t) => same(t.name, r.table));
    const column = table?.columns.find((c) => same(c.name, r.column));
    return column !== undefined && !table!.primaryKey.some((k) => same(k, column.name));
  }

  /**
   * BIRD's ratio idiom, `SUM(CASE WHEN c THEN 1 ELSE 0 END) * 100.0 / COUNT(*)`, as BAM
   * writes it: one filtered frame per condition and counts of frames
   * (`res = df.select(cast(df2.count(), real) / df1.count() * 100)`). Undefined when the
   * select list has other aggregates or no conditional count.
   */
  private conditionalCounts(s: SqlSelect, cur: string): string | undefined {
    let conditional = 0;
    let other = false;
    for (const item of s.items) {
      walk(item.expr, (x) => {
        if (x.k === 'column') other = true;
        if (x.k !== 'function') return true;
        const kind = countKind(x);
        if (kind === 'conditional') conditional++;
        else if (kind === undefined && isAggregate(x)) other = true;
        return kind === undefined;
      });
    }
    if (!conditional || other) return undefined;
    // The rows counted are the join's. When the conditions name none of the table whose rows
    // those are (`SUM(IIF(T2.Language = 'English', 1, 0)) … FROM TV_series T1 JOIN TV_Channel
    // T2`), the counts name it (`df1.count(TV_series.*)`); else it would count channels.
    const withoutCountArgs = (e: SqlExpr): SqlExpr =>
      e.k === 'function' && countKind(e) === 'plain'
        ? { ...e, args: [], star: true }
        : mapChildren(e, withoutCountArgs);
    const counted = this.unreferencedTable(
      { ...s, items: s.items.map((i) => ({ ...i, expr: withoutCountArgs(i.expr) })) },
      undefined,
    );
    const all = counted ? `${srName(counted)}.*` : '';
    const frames = new Map<string, string>();
    const applied = new Set(
      (s.where ? conjuncts(s.where) : []).map((c) => JSON.stringify(unnest(c))),
    );
    const rewrite = (e: SqlExpr): SqlExpr => {
      if (e.k === 'function') {
        const kind = countKind(e);
        if (kind === 'plain') {
          const arg = e.args[0];
          if (e.distinct) return rawSr(`${cur}.count(distinct = ${this.expr(arg!)})`);
          // `COUNT(c)` counts rows only where c is a key, which is never NULL.
          return rawSr(`${cur}.count(${arg && this.mayBeNull(arg) ? this.expr(arg) : all})`);
        }
        if (kind === 'conditional') {
          const { cond, distinctOf } = conditionOf(e)!;
          // Conditions the WHERE already applied are not repeated, and a frame built for
          // the same leading conditions is reused (`df2 = df1.where(…)` counted beside df1).
          let frame = cur;
          let key = '';
          for (const c of conjuncts(cond)) {
            const text = JSON.stringify(unnest(c));
            if (applied.has(text)) continue;
            key += `${text};`;
            const known = frames.get(key);
            if (known) {
              frame = known;
              continue;
            }
            const step = this.where(c);
            const v = this.nextDf();
            this.emit(`${v} = ${frame}.${step}`);
            frames.set(key, v);
            frame = v;
          }
          return rawSr(
            `${frame}.count(${distinctOf ? `distinct = ${this.expr(distinctOf)}` : all})`,
          );
        }
        return { ...e, args: e.args.map(rewrite) };
      }
      return mapChildren(e, rewrite);
    };
    // BAM keeps the parentheses of a ratio written without CAST, and drops them around a CAST one.
    // In a CTE or derived table, later steps read the counts by their names.
    const items = s.items.map((i) => {
      const text = this.expr(
        hasCast(i.expr) ? dropRedundantParens(rewrite(i.expr)) : rewrite(i.expr),
      );
      return this.keepAliases && i.alias ? `${text} as ${srName(i.alias)}` : text;
    });
    return items.join(', ');
  }

  /**
   * `t.x OP (SELECT AGG(u.y) FROM t AS u WHERE u.k = t.k …)`: each row of t compared with an
   * aggregate of the rows of t that share its k (the youngest per major, the latest per
   * student, above their own group's average), which SR says as a grouping by k whose result
   * each row is read beside (see `readsRowsBesideGroup` in to-sql.ts). Undefined for anything
   * else, which the correlated-subquery path reports.
   */
  private groupCorrelated(
    s: SqlSelect,
    cond: SqlExpr,
  ):
    | {
        cond: SqlExpr;
        keys: string[];
        filters: string[];
        agg: string;
        name: string;
        element: string;
        op: string;
        table: string;
      }
    | undefined {
    const c = unnest(cond);
    if (c.k !== 'binary' || !COMPARISONS[c.op]) return undefined;
    const [outerSide, subSide, op] =
      unnest(c.right).k === 'subquery'
        ? [c.left, unnest(c.right), c.op]
        : [c.right, unnest(c.left), COMPARISONS[c.op]!];
    if (subSide.k !== 'subquery') return undefined;
    const element = unnest(outerSide);
    // The compared value: a column of the outer row, or an expression of its columns
    // (`CAST(d.weight AS REAL)` beside `MAX(CAST(u.weight AS REAL))`).
    const elementColumns: ColumnExpr[] = [];
    let plainElement = true;
    walk(element, (x) => {
      if (x.k === 'column') elementColumns.push(x);
      if (x.k === 'subquery' || x.k === 'exists' || (x.k === 'in' && x.query) || isAggregate(x))
        plainElement = false;
      return plainElement;
    });
    if (!plainElement || elementColumns.length === 0) return undefined;
    const q = subSide.query;
    const b = q.body;
    if (b.k !== 'select' || q.with.length || q.orderBy.length || q.limit || !b.where)
      return undefined;
    if (b.joins.length || b.groupBy.length || b.having || b.distinct || b.items.length !== 1)
      return undefined;
    if (b.from?.k !== 'table' || !b.from.alias) return undefined;
    const table = b.from.name.toLowerCase();
    const inner = b.from.alias.toLowerCase();
    const outerRef = [s.from, ...s.joins.map((j) => j.ref)].find(
      (r) => r?.k === 'table' && r.name.toLowerCase() === table,
    ) as TableName | undefined;
    const outer = (outerRef?.alias ?? outerRef?.name)?.toLowerCase();
    if (!outer || outer === inner) return undefined;
    const agg = unnest(b.items[0]!.expr);
    if (!isAggregate(agg) || agg.over || !AGGREGATE_NAMES.has(agg.name.toLowerCase()))
      return undefined;
    // An unqualified name inside the subquery is its own table's.
    const tableOf = (x: ColumnExpr) => x.table?.toLowerCase() ?? inner;
    const readsOnly = (e: SqlExpr, alias: string) => {
      let ok = true;
      walk(e, (x) => {
        if (x.k === 'column' && tableOf(x) !== alias) ok = false;
        if (x.k === 'subquery' || x.k === 'exists' || (x.k === 'in' && x.query)) ok = false;
        return ok;
      });
      return ok;
    };
    const outerColumn = (c: ColumnExpr) => {
      if (c.table) return c.table.toLowerCase() === outer;
      const resolved = this.analysis.resolve(c);
      return resolved?.kind === 'table' && same(resolved.table, table);
    };
    if (!readsOnly(agg, inner) || !elementColumns.every(outerColumn)) return undefined;
    // Every condition of the subquery is `u.k = t.k` on one column k, or reads only u: which
    // rows of the group count (`u.win_type = 'runs'`), a filter before the grouping.
    const keys: string[] = [];
    const filters: string[] = [];
    for (const w of conjuncts(b.where)) {
      const eq = columnEquality(w);
      if (!eq && readsOnly(w, inner)) {
        filters.push(this.where(w));
        continue;
      }
      if (!eq) return undefined;
      const [l, r] = eq;
      const tables = [tableOf(l), tableOf(r)].sort();
      if (tables[0] !== [inner, outer].sort()[0] || tables[1] !== [inner, outer].sort()[1])
        return undefined;
      if (l.name.toLowerCase() !== r.name.toLowerCase()) return undefined;
      keys.push(this.expr(tableOf(l) === outer ? l : r));
    }
    if (!keys.length) return undefined;
    const text = this.expr(agg);
    let column = 'rows';
    if (agg.args[0]) {
      walk(agg.args[0], (x) => {
        if (x.k === 'column' && column === 'rows') column = x.name;
        return column === 'rows';
      });
    }
    const name = srName(`${agg.name.toLowerCase()}_${column}`);
    return { cond, keys, filters, agg: text, name, element: this.expr(element), op, table };
  }

  /**
   * `c = (SELECT MAX(c) FROM t WHERE …)` as BAM mostly writes it: the row with the largest
   * value, `orderby(by = c, desc).limit(1)` after the other conditions, when the subquery has
   * its own conditions (usually repeating the outer ones), which `filter = max(t.c)` cannot
   * say. Without them we write `filter = max(t.c)`, which keeps ties, even for a query of one
   * table and that one condition, where BAM wrote the first row in order 8 times of 12 in the
   * recorded runs: a trajectory that drops ties compiles to SQL that does too. Over an
   * earlier result (a CTE's grouped counts), `max(count)` names nothing, so the first row
   * in order it is.
   */
  private topOne(
    s: SqlSelect,
    q: SqlQuery | undefined,
    conds: SqlExpr[],
  ): { cond: SqlExpr; by: SqlExpr; desc: boolean; own: SqlExpr[] } | undefined {
    if (!q || s.groupBy.length || s.having || q.orderBy.length || s.distinct) return undefined;
    if (
      q.limit &&
      !(unnest(q.limit).k === 'literal' && (unnest(q.limit) as { value: string }).value === '1')
    )
      return undefined;
    if (q.offset) return undefined;
    for (const cond of conds) {
      const c = unnest(cond);
      if (c.k !== 'binary' || c.op !== '=') continue;
      const [col, sub] =
        unnest(c.right).k === 'subquery' ? [c.left, unnest(c.right)] : [c.right, unnest(c.left)];
      if (sub.k !== 'subquery' || isValue(col)) continue;
      const sq = sub.query;
      const b = sq.body;
      if (b.k !== 'select' || sq.with.length || sq.orderBy.length || sq.limit) continue;
      if (b.groupBy.length || b.having || b.items.length !== 1 || b.distinct) continue;
      const f = unnest(b.items[0]!.expr);
      if (f.k !== 'function' || f.over || f.distinct || f.args.length !== 1) continue;
      const name = f.name.toLowerCase();
      if (name !== 'max' && name !== 'min') continue;
      const single = s.joins.length === 0 && s.from?.k === 'table' && conds.length === 1;
      const overResult = b.from?.k !== 'table' || this.ctes.has(b.from.name.toLowerCase());
      if (!b.where && !(single && overResult)) continue;
      // Each of the subquery's conditions must be the outer query's too (`WHERE x = 'A' AND c
      // = (SELECT MAX(c) … WHERE x = 'A')`, or a join's `ON`), or test the compared column
      // alone (`c IS NOT NULL`), which then holds for the rows of that value and becomes a
      // filter before the ordering (as BAM writes it). Any other (`Age < (SELECT MAX(Age) …)`,
      // the second highest; `Major = 600` not asked of the outer rows) would be dropped by
      // the first row in order, so the value stays a subquery.
      const own: SqlExpr[] = [];
      if (b.where) {
        const outer = new Set(
          [
            ...conds.filter((x) => x !== cond),
            ...s.joins.flatMap((j) => (j.on ? conjuncts(j.on) : [])),
          ].flatMap((x) => this.resolvedTexts(x)),
        );
        const compared = unnest(col).k === 'column' ? this.resolvedText(col) : undefined;
        const onCompared = (w: SqlExpr) => {
          let only = compared !== undefined;
          let reads = false;
          walk(w, (x) => {
            if (x.k === 'subquery' || x.k === 'exists' || (x.k === 'in' && x.query)) only = false;
            if (x.k === 'column') reads = true;
            if (x.k === 'column' && this.resolvedText(x) !== compared) only = false;
            return only;
          });
          return only && reads;
        };
        const inner = conjuncts(b.where);
        if (!inner.every((w) => outer.has(this.resolvedText(w)!) || onCompared(w))) continue;
        own.push(...inner.filter((w) => !outer.has(this.resolvedText(w)!)));
      }
      return { cond, by: col, desc: name === 'max', own };
    }
    return undefined;
  }

  /**
   * The SR variable of a CTE joined to `start`, another CTE, that groups `start`'s rows by the
   * columns the join equates (`m AS (SELECT k, MAX(x) AS max_x FROM a GROUP BY k)`, `a JOIN m
   * ON m.k = a.k`); undefined unless every condition of that join is such an equality.
   */
  private groupingOf(s: SqlSelect, start: TableName): string | undefined {
    const own = (start.alias ?? start.name).toLowerCase();
    for (const j of s.joins) {
      if (j.kind !== 'INNER' || j.ref.k !== 'table' || !j.on) continue;
      const name = j.ref.name.toLowerCase();
      const body = this.cteQueries.get(name)?.body;
      if (body?.k !== 'select' || body.from?.k !== 'table' || body.joins.length) continue;
      if (!same(body.from.name, start.name) || !body.groupBy.length) continue;
      const keys = new Set(
        body.groupBy.flatMap((g) => (g.k === 'column' ? [g.name.toLowerCase()] : [])),
      );
      const theirs = (j.ref.alias ?? j.ref.name).toLowerCase();
      const onKeys = conjuncts(j.on).every((c) => {
        const eq = columnEquality(c);
        if (!eq) return false;
        const [a, b] = eq.map((x) => x.table?.toLowerCase());
        const mine = a === own ? eq[0] : b === own ? eq[1] : undefined;
        const other = a === theirs ? eq[0] : b === theirs ? eq[1] : undefined;
        return (
          !!mine && !!other && same(mine.name, other.name) && keys.has(other.name.toLowerCase())
        );
      });
      if (onKeys) return this.ctes.get(name);
    }
    return undefined;
  }

  /**
   * An expression as text with every column named by its schema table (`T3.x` and `x` read
   * the same), to tell whether two scopes state the same condition. Inside a subquery names
   * stay as written, so two subqueries are the same only when written the same.
   */
  /** `resolvedText` of a condition, and of an equality read the other way round. */
  private resolvedTexts(e: SqlExpr): string[] {
    const u = unnest(e);
    const flipped =
      u.k === 'binary' && u.op === '='
        ? [this.resolvedText({ ...u, left: u.right, right: u.left })]
        : [];
    return [this.resolvedText(e), ...flipped];
  }

  private resolvedText(e: SqlExpr): string {
    const tables: (string | undefined)[] = [];
    walk(e, (x) => {
      if (x.k === 'column') {
        const r = this.analysis.resolve(x);
        tables.push(r?.kind === 'table' ? r.table.toLowerCase() : x.table);
      }
      return true;
    });
    const copy = JSON.parse(JSON.stringify(e)) as SqlExpr;
    let i = 0;
    walk(copy, (x) => {
      if (x.k === 'column') x.table = tables[i++];
      return true;
    });
    return printExpr(unnest(copy));
  }

  /**
   * A WHERE that BAM splits into frames joined by `union`: alternatives of several conditions
   * (`(a AND b) OR (c AND d)`: one frame per alternative), or a single `c IN (v1, v2)` in a
   * plain selection (one frame per value). Each part lists the conditions of one frame.
   */
  private unionParts(
    s: SqlSelect,
    q: SqlQuery | undefined,
    conds: SqlExpr[],
  ): SqlExpr[][] | undefined {
    if (conds.length !== 1) return undefined;
    const c = unnest(conds[0]!);
    if (c.k === 'binary' && c.op === 'OR') {
      const alternatives = disjuncts(c).map((d) => conjuncts(unnest(d)));
      if (!alternatives.some((a) => a.length > 1)) return undefined;
      if (!alternatives.every((a) => a.every((x) => this.simpleCondition(x, true))))
        return undefined;
      return alternatives;
    }
    if (c.k === 'in' && !c.not && c.list && c.list.length > 1 && c.list.every(isLiteral)) {
      if (q?.orderBy.length || q?.limit || s.distinct) return undefined;
      if (this.aggregatesOf(s, q).length) return undefined;
      return c.list.map((v) => [{ k: 'binary', op: '=', left: c.expr, right: v } as SqlExpr]);
    }
    return undefined;
  }

  /** True when the select list is the group keys (in order) followed by aggregates only. */
  private selectsKeysThenAggregates(s: SqlSelect, aggs: string[]): boolean {
    const keys = s.groupBy.map((g) => this.expr(g));
    const items = s.items.map((i) => this.expr(i.expr));
    if (items.length < keys.length) return false;
    if (!keys.every((k, i) => items[i] === k)) return false;
    const rest = items.slice(keys.length);
    return rest.every(
      (t) => aggs.includes(t) || (aggs.length === 1 && aggs[0] === 'count()' && t === 'count'),
    );
  }

  /**
   * Conditions that filter different copies of one table (`colour e … colour h`, `e.colour =
   * 'Blue' AND h.colour = 'Blond'`): BAM filters one frame per copy and intersects them, since
   * SR names tables, not aliases. Undefined unless at least two copies have conditions.
   */
  private selfJoinParts(
    s: SqlSelect,
    conds: SqlExpr[],
  ): { shared: SqlExpr[]; perCopy: SqlExpr[][] } | undefined {
    const tableOf = new Map<string, string>();
    const copies = new Map<string, number>();
    for (const [table, refs] of tableCopies(s)) {
      for (const r of refs) tableOf.set((r.alias ?? r.name).toLowerCase(), table);
      copies.set(table, refs.length);
    }
    if (![...copies.values()].some((n) => n > 1)) return undefined;
    const shared: SqlExpr[] = [];
    const byCopy = new Map<string, SqlExpr[]>();
    for (const c of conds) {
      const aliases = new Set<string>();
      walk(c, (x) => {
        if (x.k === 'column' && x.table) {
          const alias = x.table.toLowerCase();
          const table = tableOf.get(alias);
          if (table && (copies.get(table) ?? 0) > 1) aliases.add(alias);
        }
        return x.k !== 'subquery';
      });
      if (aliases.size > 1) return undefined;
      if (aliases.size === 0) shared.push(c);
      else {
        const alias = [...aliases][0]!;
        byCopy.set(alias, [...(byCopy.get(alias) ?? []), c]);
      }
    }
    if (byCopy.size < 2) return undefined;
    return { shared, perCopy: [...byCopy.values()] };
  }

  /**
   * The join conditions `a.x = b.y` of `s` between two tables that no key of the schema
   * connects, declared or implied by names (`list.Classroom = teachers.Classroom`). SR
   * writes a join by leaving it out ("SR ignores joins", BAM's prompt says) and compiling it
   * back joins tables by the schema's keys, which cannot join these: they are written as
   * filters, as a comma join's conditions are, and compiling joins on them again (see
   * `joinTree`'s `said`). Which of several keys a join took stays unsaid, as BAM leaves it,
   * unless another equality of the same two tables is stated (see below).
   */
  private unreachableKeys(s: SqlSelect): SqlExpr[] {
    const out: SqlExpr[] = [];
    const unsaid: { c: SqlExpr; pair: string[] }[] = [];
    for (const [i, j] of s.joins.entries()) {
      if (j.kind !== 'INNER' && j.kind !== 'LEFT') continue;
      // `JOIN b USING (c)`: `a.c = b.c`, a the first table before it that has a column c.
      if (j.using?.length && j.ref.k === 'table') {
        const tableOf = (name: string) => this.schema.tables.find((t) => same(t.name, name));
        const right = tableOf(j.ref.name);
        const before = [s.from, ...s.joins.slice(0, i).map((x) => x.ref)].flatMap((r) =>
          r?.k === 'table' && tableOf(r.name) ? [tableOf(r.name)!] : [],
        );
        for (const u of j.using) {
          const left = before.find((t) => t.columns.some((c) => same(c.name, u)));
          const [lc, rc] = [left, right].map((t) => t?.columns.find((c) => same(c.name, u)));
          if (!left || !right || !lc || !rc || left === right) continue;
          const x = { table: left.name, column: lc.name };
          const y = { table: right.name, column: rc.name };
          if (!this.reachable(x.table, y.table) || this.guessedOtherwise(x, y))
            out.push({
              k: 'binary',
              op: '=',
              left: { k: 'column', table: x.table, name: x.column },
              right: { k: 'column', table: y.table, name: y.column },
            });
        }
        continue;
      }
      if (!j.on) continue;
      for (const c of conjuncts(j.on)) {
        const [x, y] = (columnEquality(c, true) ?? []).map((e) => this.analysis.resolve(e));
        if (x?.kind !== 'table' || y?.kind !== 'table' || same(x.table, y.table)) continue;
        if (!this.reachable(x.table, y.table) || this.guessedOtherwise(x, y)) out.push(c);
        else unsaid.push({ c, pair: [x.table, y.table] });
      }
    }
    // Where keys are declared, a stated equality joins two tables instead of their key (a
    // wrong key: `albums.AlbumId = artists.ArtistId`). The key they were joined on as well
    // (`ON c.SupportRepId = e.EmployeeId … WHERE c.City = e.City`) is then stated too.
    if (this.schema.foreignKeys.length > 0 && unsaid.length > 0) {
      const stated = [...out, ...(s.where ? conjuncts(s.where) : [])].flatMap((c) => {
        const [x, y] = (columnEquality(c, true) ?? []).map((e) => this.analysis.resolve(e));
        return x?.kind === 'table' && y?.kind === 'table' ? [[x.table, y.table]] : [];
      });
      const samePair = (a: string[], b: string[]) =>
        (same(a[0]!, b[0]!) && same(a[1]!, b[1]!)) || (same(a[0]!, b[1]!) && same(a[1]!, b[0]!));
      for (const { c, pair } of unsaid) if (stated.some((p) => samePair(p, pair))) out.push(c);
    }
    return out;
  }

  /**
   * Whether compiling would join the columns' two tables other than on them, so that the SQL's
   * own condition must be said. Memoized.
   * - Keys declared: not along a declared key (which of several keys a join took stays unsaid,
   *   as BAM leaves it); else when the compiled path does not equate the two columns, directly
   *   or through tables it looks up on a key (`frpm.CDSCode = schools.CDSCode = satscores.cds`
   *   says the same as `frpm.CDSCode = satscores.cds`; BowlingLeague's
   *   `Match_Games.WinningTeamID = Teams.TeamID` would go through `Tourney_Matches`).
   * - No keys: every join is a guess from names, and the SQL's condition says better unless
   *   compiling joins the two tables directly on it (IPL's `match.man_of_the_match =
   *   player.player_id` would go through `player_match`).
   */
  private guessedOtherwise(
    x: { table: string; column: string },
    y: { table: string; column: string },
  ): boolean {
    const keyed = this.schema.foreignKeys.length > 0;
    if (keyed && isKeyBetween(this.schema.foreignKeys, x, y, true)) return false;
    const ends = [x, y].map((e) => `${e.table}.${e.column}`.toLowerCase()).sort();
    const pair = `=${ends.join('\u0000')}`;
    const reach = REACH.get(this.schema) ?? new Map<string, boolean>();
    REACH.set(this.schema, reach);
    let other = reach.get(pair);
    if (other === undefined) {
      const { joins } = joinTree(this.schema, [x.table, y.table]);
      const name = (e: ColumnExpr) => `${e.table ?? ''}.${e.name}`.toLowerCase();
      if (keyed) {
        // Columns the compiled ONs make equal, as classes (union-find).
        const parent = new Map<string, string>();
        const find = (k: string): string => {
          const p = parent.get(k);
          return p === undefined || p === k ? k : find(p);
        };
        // A table between them must be looked up on a key (its primary key, or a column a
        // declared key refers to), or it repeats rows: customers to supplementary_demographics
        // through `sales`, on `cust_id` of both, is one row per sale.
        const isKey = (table: string, column: string) =>
          this.schema.tables.some(
            (t) => same(t.name, table) && t.primaryKey.some((k) => same(k, column)),
          ) ||
          this.schema.foreignKeys.some((k) => same(k.toTable, table) && same(k.toColumn, column));
        let lookups = true;
        for (const j of joins)
          for (const c of j.on ? conjuncts(j.on) : []) {
            const eq = columnEquality(c);
            if (!eq) continue;
            parent.set(find(name(eq[0])), find(name(eq[1])));
            for (const e of eq) {
              const between = ![x.table, y.table].some((t) => same(t, e.table ?? ''));
              if (between && !isKey(e.table ?? '', e.name)) lookups = false;
            }
          }
        other = !lookups || find(ends[0]!) !== find(ends[1]!);
      } else {
        const on = joins.length === 1 ? joins[0]!.on : undefined;
        const joined = ((on && columnEquality(on)) || []).map(name).sort();
        other = joined.join('\u0000') !== ends.join('\u0000');
      }
      reach.set(pair, other);
    }
    return other;
  }

  /** Whether the schema's keys, declared or implied by names, join the two tables (memoized). */
  private reachable(a: string, b: string): boolean {
    const pair = [a, b]
      .map((t) => t.toLowerCase())
      .sort()
      .join('\u0000');
    const reach = REACH.get(this.schema) ?? new Map<string, boolean>();
    REACH.set(this.schema, reach);
    let known = reach.get(pair);
    if (known === undefined) {
      known = this.schema.foreignKeys.some(
        (k) =>
          (same(k.fromTable, a) && same(k.toTable, b)) ||
          (same(k.fromTable, b) && same(k.toTable, a)),
      );
      if (!known) {
        try {
          joinTree(this.schema, [a, b]);
          known = true;
        } catch (error) {
          if (!(error instanceof SrCompileError)) throw error;
          known = false;
        }
      }
      reach.set(pair, known);
    }
    return known;
  }

  /** True when one table of the schema has a column named `element` (so the bare name is clear). */
  private uniqueElementColumn(): boolean {
    return (
      this.schema.tables.filter((t) => t.columns.some((c) => c.name === 'element')).length === 1
    );
  }

  /** The column a simple condition filters on (its SR text), if it is a simple one. */
  private elementOf(cond: SqlExpr): string | undefined {
    const c = unnest(cond);
    const e =
      c.k === 'binary' && ['<', '>', '<=', '>=', '<>', '='].includes(c.op)
        ? isValue(c.left)
          ? c.right
          : isValue(c.right)
            ? c.left
            : undefined
        : c.k === 'between' || c.k === 'like' || c.k === 'isnull'
          ? c.expr
          : undefined;
    if (!e || unnest(e).k !== 'column') return undefined;
    if (c.k === 'binary' && unnest(c.left).k === 'subquery') return undefined;
    if (c.k === 'binary' && unnest(c.right).k === 'subquery') return undefined;
    return this.expr(unnest(e));
  }

  private unreferencedTable(s: SqlSelect, q: SqlQuery | undefined): string | undefined {
    const refs = [s.from, ...s.joins.map((j) => j.ref)].filter((r) => r?.k === 'table');
    if (!refs.length) return undefined;
    const used = new Set<string>();
    const visit = (e: SqlExpr | undefined) => {
      if (!e) return;
      walk(e, (x) => {
        if (x.k === 'column') {
          const r = this.analysis.resolve(x);
          if (r?.kind === 'table') used.add(r.table.toLowerCase());
          if (r?.kind === 'alias') visit(this.aliases.get(x.name.toLowerCase()));
        }
        if (x.k === 'star' && x.table)
          used.add((this.qualifiers.get(x.table.toLowerCase()) ?? x.table).toLowerCase());
        return true;
      });
    };
    for (const i of s.items) visit(i.expr);
    visit(s.where);
    s.groupBy.forEach(visit);
    visit(s.having);
    for (const o of q?.orderBy ?? []) visit(o.expr);
    for (const r of refs) {
      if (r?.k !== 'table') continue;
      const table = this.analysis.tables.find((t) => t.toLowerCase() === r.name.toLowerCase());
      if (!table || used.has(table.toLowerCase())) continue;
      // A table that another table of the query points to by a foreign key adds no rows to
      // the count (each row has one match): BAM writes `count()` when a named table points to
      // it, and of two unnamed tables the one pointing to the other is the one counted.
      const inQuery = new Set(
        refs.flatMap((x) => (x?.k === 'table' ? [x.name.toLowerCase()] : [])),
      );
      const lookedUp = this.schema.foreignKeys.some(
        (fk) =>
          fk.toTable.toLowerCase() === table.toLowerCase() &&
          (used.has(fk.fromTable.toLowerCase()) || inQuery.has(fk.fromTable.toLowerCase())) &&
          fk.fromTable.toLowerCase() !== table.toLowerCase(),
      );
      if (!lookedUp) return table;
    }
    return undefined;
  }

  private aggregatesOf(s: SqlSelect, q: SqlQuery | undefined): string[] {
    const found: string[] = [];
    const visit = (e: SqlExpr | undefined) => {
      if (!e) return;
      walk(e, (x) => {
        if (isAggregate(x) && !x.over) {
          const text = this.expr(x);
          if (!found.includes(text)) found.push(text);
          return false;
        }
        if (x.k === 'column' && !x.table) {
          const aliased = this.aliases.get(x.name.toLowerCase());
          if (aliased && this.analysis.resolve(x)?.kind === 'alias') visit(aliased);
        }
        return true;
      });
    };
    for (const item of s.items) visit(item.expr);
    visit(s.having);
    for (const o of q?.orderBy ?? []) visit(o.expr);
    return found;
  }

  private orderBy(q: SqlQuery): string {
    // Several keys without directions: BAM lists them (`orderby(by = [a, b])`).
    if (q.orderBy.length > 1 && q.orderBy.every((o) => o.desc === undefined))
      return `.orderby(by = [${q.orderBy.map((o) => this.expr(o.expr)).join(', ')}])`;
    return q.orderBy
      .map((o) => {
        const dir = o.desc === true ? ', desc' : o.desc === false ? ', asc' : '';
        return `.orderby(by = ${this.expr(o.expr)}${dir})`;
      })
      .join('');
  }

  private limit(q: SqlQuery): string {
    const n = q.limit ? this.expr(q.limit) : '-1';
    return q.offset ? `.limit(${n}, offset = ${this.expr(q.offset)})` : `.limit(${n})`;
  }

  private projection(s: SqlSelect): string {
    const items = s.items;
    if (items.length === 1 && !s.groupBy.length) {
      const e = items[0]!.expr;
      if (e.k === 'function' && e.name.toLowerCase() === 'count' && !e.over) {
        if (e.star && !s.distinct)
          return this.countTable ? `.count(${srName(this.countTable)}.*)` : '.count()';
        if (e.distinct && e.args.length === 1)
          return `.select(${this.expr(e.args[0]!)}).distinct().count()`;
        if (e.args.length === 1 && !s.distinct) return `.count(${this.expr(e.args[0]!)})`;
      }
      // A lone SUM is written as a selection summed (BAM's usual form for SUM, not for AVG/MAX/MIN).
      if (
        e.k === 'function' &&
        e.name.toLowerCase() === 'sum' &&
        !e.over &&
        !e.distinct &&
        e.args.length === 1 &&
        !s.distinct
      ) {
        return `.select(${this.expr(e.args[0]!)}).sum()`;
      }
    }
    // `*` over joined schema tables is every column of each, in FROM order: SR names them
    // (`select(a.*, b.*)`), since a bare `*` would read as the columns of one table.
    const refs = [s.from, ...s.joins.map((j) => j.ref)];
    const joined =
      s.joins.length > 0 &&
      refs.every((r) => r?.k === 'table' && !this.ctes.has(r.name.toLowerCase()));
    const list = items
      .flatMap((i) =>
        joined && i.expr.k === 'star' && !i.expr.table
          ? refs.map((r) => `${this.tableName(r!.alias ?? (r as TableName).name)}.*`)
          : i.expr.k === 'star' && i.expr.table
            ? (this.columnsOfResult(s, i.expr.table) ?? [this.expr(i.expr)])
            : [this.item(i, s.groupBy.length > 0, this.namingCopies.has(s))],
      )
      .join(', ');
    if (!s.distinct) return `.select(${list})`;
    // One DISTINCT column after several conditions: BAM writes `select(distinct(t.c))`.
    const conditions = s.where ? conjuncts(s.where).length : 0;
    if (items.length === 1 && conditions >= 2 && !s.groupBy.length)
      return `.select(distinct(${list}))`;
    return `.select(${list}).distinct()`;
  }

  /**
   * `gi.*` of a CTE or derived table: its columns one by one, as later steps name them (SR has
   * no name for an earlier result's columns as a whole).
   */
  private columnsOfResult(s: SqlSelect, qualifier: string): string[] | undefined {
    const q = qualifier.toLowerCase();
    const ref = [s.from, ...s.joins.map((j) => j.ref)].find(
      (r) => r && (r.alias ?? (r.k === 'table' ? r.name : '')).toLowerCase() === q,
    );
    const name = ref?.k === 'table' ? ref.name.toLowerCase() : q;
    const query =
      ref?.k === 'derived' ? ref.query : ref?.k === 'table' ? this.cteQueries.get(name) : undefined;
    if (query?.body.k !== 'select') return undefined;
    const names: string[] = [];
    for (const item of query.body.items) {
      const n = item.alias ?? (item.expr.k === 'column' ? item.expr.name : undefined);
      if (!n) return undefined;
      names.push(this.passThrough.get(name)?.get(n.toLowerCase()) ?? srName(n));
    }
    return names;
  }

  private item(i: SelectItem, grouped: boolean, namingCopies = false): string {
    const text = this.expr(i.expr);
    const named = i.expr.k === 'column' && i.expr.name === i.alias;
    // BAM keeps the name of a computed (non-aggregate) item such as `a || ' ' || b as full_name`,
    // and of a SUM per group (`sum(t.c) as total`, 13 of 19 in the recorded runs; other
    // aggregates mostly lose theirs); a column passed through a CTE keeps its table name
    // instead (see recordPassThrough). Where copies of one table are told apart, the names
    // are all that tells `colour.colour as eye_colour` from `as hair_colour` (BAM: 2 of 2).
    const passed = this.passedItems.has(i.expr);
    const groupSum =
      grouped && i.expr.k === 'function' && i.expr.name.toLowerCase() === 'sum' && !i.expr.over;
    const keep =
      ((this.keepAliases || namingCopies) && !passed) || isComputedValue(i.expr) || groupSum;
    return keep && i.alias && !named ? `${text} as ${srName(i.alias)}` : text;
  }

  /** A `where(...)` (or `having(...)`) call for one condition. */
  private where(cond: SqlExpr, method = 'where'): string {
    const simple = this.simpleCondition(cond);
    // A column named `element` clashes with the keyword: BAM writes it bare, as the keyword.
    if (simple && /^[^.]+\.element$/.test(simple.element) && this.uniqueElementColumn())
      return `${method}(element, filter = ${simple.filter})`;
    if (simple) return `${method}(element = ${simple.element}, filter = ${simple.filter})`;
    const inner = cond.k === 'nested' ? cond.expr : cond;
    if (inner.k === 'binary' && inner.op === 'OR') {
      const parts = disjuncts(inner).map((d) => this.simpleCondition(d));
      if (parts.every((p) => p !== undefined)) {
        const [first, ...rest] = parts as { element: string; filter: string }[];
        // Comparisons of one column (`c < 150 OR c > 450`): BAM writes one filter, '< 150 OR > 450'.
        const comparison = /^'(<=|>=|<|>|!=) [^']*'$/;
        if (
          rest.every((p) => p.element === first!.element) &&
          parts.every((p) => comparison.test(p!.filter))
        ) {
          const filter = parts.map((p) => p!.filter.slice(1, -1)).join(' OR ');
          return `${method}(element = ${first!.element}, filter = '${filter}')`;
        }
        return [
          `${method}(element = ${first!.element}, filter = ${first!.filter})`,
          ...rest.map((p) => `or${method}(element = ${p.element}, filter = ${p.filter})`),
        ].join('.');
      }
    }
    return `${method}(${this.bool(inner)})`;
  }

  private simpleCondition(
    cond: SqlExpr,
    dryRun = false,
  ): { element: string; filter: string } | undefined {
    const c = this.stringsForUnknownNames(cond.k === 'nested' ? cond.expr : cond);
    if (dryRun && containsSubquery(c)) return undefined;
    switch (c.k) {
      case 'binary': {
        const ops: Record<string, string> = {
          '=': '=',
          '<>': '!=',
          '<': '<',
          '>': '>',
          '<=': '<=',
          '>=': '>=',
        };
        const flip: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
        if (!(c.op in ops)) return undefined;
        let left = c.left;
        let right = c.right;
        let op = ops[c.op]!;
        if (isValue(left) && !isValue(right)) {
          [left, right] = [right, left];
          op = flip[op] ?? op;
        }
        if (isValue(left)) return undefined;
        const r = unnest(right);
        // Two columns compared (`t.a > t.b`): BAM filters the first by the second
        // (`where(element = t.a, filter = '> t.b')`, `filter = t.b` for equality).
        if (unnest(left).k === 'column' && r.k === 'column') {
          const other = this.expr(r);
          return { element: this.expr(left), filter: op === '=' ? other : `'${op} ${other}'` };
        }
        // `strftime('%Y', t.c) = '2011'`: BAM filters the column by its prefix.
        const year = yearOf(left);
        if (
          year &&
          op === '=' &&
          r.k === 'literal' &&
          r.type === 'string' &&
          /^\d{4}$/.test(r.value)
        ) {
          this.approximations.push('a year test (written as a prefix match: right for ISO dates)');
          return { element: this.expr(year), filter: `"like '${r.value}%'"` };
        }
        // `strftime('%Y', t.c) > '2013'`: BAM compares the column's year (`filter = "year > 2013"`).
        if (
          year &&
          op !== '=' &&
          r.k === 'literal' &&
          r.type === 'string' &&
          /^\d{4}$/.test(r.value)
        ) {
          return { element: this.expr(year), filter: `"year ${op} ${r.value}"` };
        }
        // `substr(t.c, 1, 4) = '2012'`: BAM matches the prefix on the column (`'like 2012%'`).
        if (op === '=' && r.k === 'literal' && r.type === 'string') {
          const prefixed = prefixOf(left, r.value);
          if (prefixed)
            return { element: this.expr(prefixed), filter: srString(`like ${r.value}%`) };
        }
        const element = this.expr(left);
        if (r.k === 'literal' || (r.k === 'unary' && r.op === '-' && r.expr.k === 'literal')) {
          const text = r.k === 'literal' ? r.value : `-${(r.expr as { value: string }).value}`;
          const isString = r.k === 'literal' && r.type === 'string';
          if (op === '=') return { element, filter: isString ? equalsFilter(text) : text };
          if (
            isString &&
            (text.trim() !== text ||
              text === '' ||
              keepsQuotes(left, r as LiteralExpr) ||
              // `<> 'null'` (car_1's missing values are the word): bare, it reads as NULL.
              /^(null|true|false)$/i.test(text)) &&
            !/['"]/.test(text)
          )
            return { element, filter: `"${op} '${text}'"` };
          return { element, filter: srString(`${op} ${text}`) };
        }
        if (r.k === 'subquery') {
          const value = this.subqueryValue(r.query, true, true);
          if (op === '=') return { element, filter: value };
          return { element, filter: `'${op} ${value}'` };
        }
        return undefined;
      }
      case 'isnull':
        if (isValue(c.expr)) return undefined;
        return { element: this.expr(c.expr), filter: c.not ? "'is not null'" : "'is null'" };
      case 'between': {
        if (!isLiteral(c.low) || !isLiteral(c.high) || isValue(c.expr)) return undefined;
        const lo = unnest(c.low) as { type: string; value: string };
        const hi = unnest(c.high) as { type: string; value: string };
        // BAM lower-cases the keywords around quoted dates and numbers ('between 1995-01-01 and
        // 1997-12-31') and keeps SQL's capitals around numbers and words ('BETWEEN TR000 AND TR099').
        const lower = [lo, hi].some((b) => b.type === 'string' && /^\d/.test(b.value));
        const kw = lower ? ['between', 'and'] : ['BETWEEN', 'AND'];
        const not = c.not ? (lower ? 'not ' : 'NOT ') : '';
        // A number-like string compared with a computed value (`strftime('%Y', d) BETWEEN '1990'
        // AND '1993'`) stays a string: SQLite compares text and numbers differently there.
        if (
          [lo, hi].some((b) => keepsQuotes(c.expr, b)) &&
          ![lo, hi].some((b) => /['"]/.test(b.value))
        )
          return {
            element: this.expr(c.expr),
            filter: `"${not}${kw[0]} ${quoted(lo)} ${kw[1]} ${quoted(hi)}"`,
          };
        return {
          element: this.expr(c.expr),
          filter: srString(`${not}${kw[0]} ${lo.value} ${kw[1]} ${hi.value}`),
        };
      }
      case 'like': {
        const p = unnest(c.pattern);
        if (p.k !== 'literal' || p.type !== 'string' || isValue(c.expr)) return undefined;
        return {
          element: this.expr(c.expr),
          filter: srString(`${c.not ? 'not like' : 'like'} ${p.value}`),
        };
      }
      case 'in': {
        if (isValue(c.expr)) return undefined;
        const op = c.not ? "'not in'" : "'in'";
        if (c.query)
          return {
            element: this.expr(c.expr),
            filter: `${op}, value = ${this.subqueryValue(c.query, true, false, true)}`,
          };
        // A list of values: BAM's form is `filter = 'IN', values = [...]` ('not in' when negated).
        const list = (c.list ?? []).map((x) => this.expr(x)).join(', ');
        const listOp = c.not ? "'not in'" : "'IN'";
        return { element: this.expr(c.expr), filter: `${listOp}, values = [${list}]` };
      }
      default:
        return undefined;
    }
  }

  /** SQLite reads a double-quoted word that names no column as a string: so do we. */
  private stringsForUnknownNames(e: SqlExpr): SqlExpr {
    const fix = (x: SqlExpr): SqlExpr =>
      x.k === 'column' &&
      x.quote === '"' &&
      !x.table &&
      this.analysis.resolve(x)?.kind === 'unknown'
        ? { k: 'literal', type: 'string', value: x.name }
        : x;
    switch (e.k) {
      case 'binary':
        return { ...e, left: fix(e.left), right: fix(e.right) };
      case 'between':
        return { ...e, low: fix(e.low), high: fix(e.high) };
      case 'like':
        return { ...e, pattern: fix(e.pattern) };
      case 'in':
        return e.list ? { ...e, list: e.list.map(fix) } : e;
      default:
        return e;
    }
  }

  /**
   * The SR value of a subquery: inline for `SELECT agg(col) FROM t` where it is a filter's
   * whole value (`filter = max(t.c)`, BAM's form, compiled back as a subquery), else a
   * `tmp_res` step.
   */
  private subqueryValue(q: SqlQuery, inline = true, outerRow = false, valuesOnly = false): string {
    const b = q.body;
    if (
      inline &&
      b.k === 'select' &&
      q.with.length === 0 &&
      !q.orderBy.length &&
      !q.limit &&
      !b.where &&
      !b.groupBy.length &&
      !b.joins.length &&
      b.from?.k === 'table' &&
      b.items.length === 1
    ) {
      const e = b.items[0]!.expr;
      if (isAggregate(e) && !e.star && !e.over) {
        return this.expr(e);
      }
    }
    // `(SELECT n FROM totals)` of a one-row CTE: the value itself.
    if (
      b.k === 'select' &&
      q.with.length === 0 &&
      !q.orderBy.length &&
      !b.where &&
      !b.groupBy.length &&
      !b.joins.length &&
      b.from?.k === 'table' &&
      b.items.length === 1 &&
      b.items[0]!.expr.k === 'column'
    ) {
      const cte = b.from.name.toLowerCase();
      const query = this.cteQueries.get(cte);
      if (query && isOneRow(query)) {
        const single = isSingleColumn(query);
        const source = {
          cte,
          frame: this.ctes.get(cte)!,
          single,
          values: new Map<string, string>(),
        };
        return this.scalarValue(this.scalarSources.get(cte) ?? source, b.items[0]!.expr.name);
      }
    }
    // Inside EXISTS and as a value, a correlation on a key to a table the subquery does not
    // read compiles back as it was (see `correlated` in to-sql.ts); inside IN it does not.
    if (this.isCorrelated(q) && !(outerRow && this.correlatedOnEqualities(q)))
      this.lose('a correlated subquery');
    const v = this.nextTmp();
    // Only the set of values of `IN (SELECT …)` counts, and only whether `EXISTS (SELECT …)`
    // finds a row, as in a set operation's operands: a join that only keeps rows with a match
    // may be a filter there (see `tableSemiJoin`).
    this.setOperand = valuesOnly && !q.limit && q.with.length === 0;
    const value = this.query(q, v);
    this.setOperand = false;
    if (value !== v) this.emit(`${v} = ${value}`);
    return v;
  }

  /**
   * True when a subquery reads the outer query only in WHERE conditions `inner.k = outer.k`,
   * each outer table one the subquery does not read itself.
   */
  private correlatedOnEqualities(q: SqlQuery): boolean {
    const b = q.body;
    if (b.k !== 'select' || q.with.length || !b.where) return false;
    const refs = [b.from, ...b.joins.map((j) => j.ref)];
    if (refs.some((r) => r?.k !== 'table')) return false;
    const own = new Set(
      refs.map((r) => ((r as TableName).alias ?? (r as TableName).name).toLowerCase()),
    );
    const ownTables = new Set(refs.map((r) => (r as TableName).name.toLowerCase()));
    // The schema column a name reads: its own, or the one an earlier result passes on (which
    // SR → SQL reads from that result); undefined for a computed column of a result.
    const tableColumn = (x: ColumnExpr) => {
      const r = this.analysis.resolve(x);
      if (r?.kind === 'table') return r;
      if (r?.kind !== 'derived') return undefined;
      const text = this.passedThrough(r.source)?.get(r.column.toLowerCase());
      const table = text
        ? this.analysis.tables.find((t) =>
            text.toLowerCase().startsWith(`${srName(t)}.`.toLowerCase()),
          )
        : undefined;
      return table ? { kind: 'table' as const, table } : undefined;
    };
    const outerRead = (e: SqlExpr | undefined) => {
      let found: string | undefined;
      if (e)
        walk(e, (x) => {
          if (x.k === 'column' && x.table && !own.has(x.table.toLowerCase())) {
            const r = this.analysis.resolve(x);
            if (r?.kind === 'table') found = r.table;
            // A column of an outer CTE or derived table: its table's if it passes one on,
            // else none to compile back on.
            else if (r?.kind === 'derived')
              found = tableColumn(x)?.table ?? `${r.source}.${r.column}`;
          }
          return !found;
        });
      return found;
    };
    for (const c of conjuncts(b.where)) {
      const outer = outerRead(c);
      if (!outer) continue;
      const eq = columnEquality(c);
      const [x, y] = eq ? eq.map((e) => tableColumn(e)) : [];
      if (x?.kind !== 'table' || y?.kind !== 'table') return false;
      const [inner, out] = same(x.table, outer) ? [y, x] : [x, y];
      if (ownTables.has(out.table.toLowerCase()) || !ownTables.has(inner.table.toLowerCase()))
        return false;
    }
    const elsewhere = [
      ...b.items.map((i) => i.expr),
      ...b.joins.map((j) => j.on),
      ...b.groupBy,
      b.having,
      ...q.orderBy.map((o) => o.expr),
    ];
    return !elsewhere.some((e) => outerRead(e));
  }

  private isCorrelated(q: SqlQuery): boolean {
    const own = new Set<string>();
    const collect = (b: SqlBody) => {
      if (b.k === 'select') {
        for (const r of [b.from, ...b.joins.map((j) => j.ref)]) {
          if (r?.k === 'table') own.add((r.alias ?? r.name).toLowerCase());
          else if (r?.alias) own.add(r.alias.toLowerCase());
        }
      } else if (b.k === 'set') {
        collect(b.left);
        collect(b.right);
      }
    };
    collect(q.body);
    let correlated = false;
    walkQuery(q, (e) => {
      if (e.k === 'column' && e.table && !own.has(e.table.toLowerCase())) {
        const r = this.analysis.resolve(e);
        if (r?.kind === 'table' && !own.has(r.table.toLowerCase())) correlated = true;
        // A column of the outer query's CTE or derived table (`b.Country = a.Country`, two
        // copies of one CTE): as much a correlation.
        if (r?.kind === 'derived' && !own.has(r.source.toLowerCase())) correlated = true;
      }
    });
    return correlated;
  }

  /** A boolean condition as an SR expression (`t.a == 1 and (t.b > 2 or t.c is null)`). */
  private bool(e: SqlExpr): string {
    return this.expr(e, true);
  }

  /** An SQL expression as SR. */
  expr(e: SqlExpr, boolean = false): string {
    switch (e.k) {
      case 'column':
        return this.column(e);
      case 'literal':
        if (e.type === 'string') return srString(e.value);
        if (e.type === 'null') return 'null';
        return e.value.toLowerCase() === 'true'
          ? 'True'
          : e.value.toLowerCase() === 'false'
            ? 'False'
            : e.value;
      case 'binary': {
        const op =
          e.op === 'AND'
            ? 'and'
            : e.op === 'OR'
              ? 'or'
              : e.op === '='
                ? '=='
                : e.op === '<>'
                  ? '!='
                  : e.op;
        return `${this.expr(e.left, boolean)} ${op} ${this.expr(e.right, boolean)}`;
      }
      case 'unary':
        return e.op === 'NOT' ? `not ${this.expr(e.expr, boolean)}` : `${e.op}${this.expr(e.expr)}`;
      case 'nested':
        return `(${this.expr(e.expr, boolean)})`;
      case 'function':
        return this.func(e);
      case 'star':
        return e.table ? `${this.tableName(e.table)}.*` : '*';
      case 'cast':
        return `cast(${this.expr(e.expr)}, ${e.type.toLowerCase()})`;
      case 'case': {
        const parts = e.whens.map((w) => {
          const cond = e.operand
            ? `${this.expr(e.operand)} == ${this.expr(w.cond)}`
            : this.expr(w.cond, true);
          return `when(${cond}, ${this.expr(w.result)})`;
        });
        if (e.else) parts.push(`otherwise(${this.expr(e.else)})`);
        return `case(${parts.join(', ')})`;
      }
      case 'in': {
        const inner = e.query
          ? this.subqueryValue(e.query, true, false, true)
          : `[${(e.list ?? []).map((x) => this.expr(x)).join(', ')}]`;
        return `${this.expr(e.expr)} ${e.not ? 'not in' : 'in'} ${inner}`;
      }
      case 'between':
        return `between(${this.expr(e.expr)}, ${this.expr(e.low)}, ${this.expr(e.high)})`.replace(
          /^/,
          e.not ? 'not ' : '',
        );
      case 'like':
        return `${this.expr(e.expr)} ${e.not ? 'not like' : 'like'} ${this.expr(e.pattern)}`;
      case 'isnull':
        return `${this.expr(e.expr)} ${e.not ? 'is not null' : 'is null'}`;
      case 'exists':
        return `${e.not ? 'not ' : ''}exists(${this.subqueryValue(namingNestedReads(e.query), true, true, true)})`;
      case 'subquery':
        // Inside an expression an inline `max(t.c)` would read the outer rows: always a step.
        return this.subqueryValue(e.query, false, true);
      case 'unsupported':
        if (e.what.startsWith(RAW_SR)) return e.what.slice(RAW_SR.length);
        this.lose(e.what);
        return `unsupported_${e.what.toLowerCase()}()`;
    }
  }

  private func(f: FunctionExpr): string {
    const name = f.name.toLowerCase();
    let text: string;
    if (f.star) text = this.countTable ? `${name}(${srName(this.countTable)}.*)` : `${name}()`;
    else {
      const args = f.args.map((a) => this.expr(a));
      text = f.distinct ? `${name}(distinct(${args.join(', ')}))` : `${name}(${args.join(', ')})`;
    }
    if (f.over) return this.window(text, f.over);
    return this.aggNames.get(text) ?? text;
  }

  /**
   * A window function: its window as keyword arguments (`rank(partition = t.k, by = t.c,
   * desc)`), which SR→SQL reads back. A frame clause, a named window or mixed directions
   * are left out, and noted.
   */
  private window(call: string, over: WindowSpec): string {
    const dirs = new Set(over.orderBy.map((o) => o.desc === true));
    if (over.frame || dirs.size > 1) {
      this.lose('a window function');
      return call;
    }
    const list = (xs: SqlExpr[]) => {
      const items = xs.map((x) => this.expr(x));
      return items.length === 1 ? items[0]! : `[${items.join(', ')}]`;
    };
    const extra: string[] = [];
    if (over.partitionBy.length) extra.push(`partition = ${list(over.partitionBy)}`);
    if (over.orderBy.length) extra.push(`by = ${list(over.orderBy.map((o) => o.expr))}`);
    if (over.orderBy[0]?.desc === true) extra.push('desc');
    if (!extra.length) extra.push('over = all');
    const open = call.slice(0, -1);
    return `${open}${open.endsWith('(') ? '' : ', '}${extra.join(', ')})`;
  }

  private tableName(alias: string): string {
    const cte = this.ctes.get(alias.toLowerCase());
    if (cte) return cte;
    const aliased = this.qualifiers.get(alias.toLowerCase());
    if (aliased)
      return srName(
        this.analysis.tables.find((t) => t.toLowerCase() === aliased.toLowerCase()) ?? aliased,
      );
    const t =
      this.analysis.query &&
      this.analysis.tables.find((x) => x.toLowerCase() === alias.toLowerCase());
    return srName(t ?? alias);
  }

  /**
   * A column of a one-row result as a value: a result of one column is itself the value
   * (`… / df3`); of several, the column read becomes a value of its own
   * (`tmp_res1 = df3.select(n)`), written once.
   */
  private scalarValue(
    scalar: { cte: string; frame: string; single: boolean; values: Map<string, string> },
    column: string,
  ): string {
    if (scalar.single) return scalar.frame;
    const key = column.toLowerCase();
    let value = scalar.values.get(key);
    if (!value) {
      value = this.nextTmp();
      const name = this.passThrough.get(scalar.cte)?.get(key) ?? srName(column);
      this.emit(`${value} = ${scalar.frame}.select(${name})`);
      scalar.values.set(key, value);
    }
    return value;
  }

  private column(c: ColumnExpr): string {
    const r = this.analysis.resolve(c);
    if (r?.kind === 'table') return `${srName(r.table)}.${srName(r.column)}`;
    if (r?.kind === 'alias') {
      const aliased = this.aliases.get(c.name.toLowerCase());
      if (aliased && !(aliased.k === 'column' && aliased.name === c.name))
        return this.expr(aliased);
      return srName(c.name);
    }
    if (r?.kind === 'derived') {
      const source = r.source.toLowerCase();
      const scalar = this.scalarSources.get(source);
      if (scalar) return this.scalarValue(scalar, r.column);
      const passed = this.passedThrough(source)?.get(r.column.toLowerCase());
      if (passed) return passed;
      const step =
        this.ctes.get((this.qualifiers.get(source) ?? source).toLowerCase()) ??
        this.derivedAliases.get(source);
      if (step && this.sharedNames.has(r.column.toLowerCase()))
        return `${step}.${srName(r.column)}`;
      return srName(r.column);
    }
    // Unresolved: a double-quoted word SQLite reads as a string, or a misspelt name.
    if (c.quote === '"' && !c.table) return srString(c.name);
    const table = this.analysis.tableOf(c);
    if (table) return `${srName(table)}.${srName(c.name)}`;
    return c.table ? `${srName(c.table)}.${srName(c.name)}` : srName(c.name);
  }
}

const RAW_SR = 'sr:';

const BINARY_PRECEDENCE: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '%': 2 };

/** Drops parentheses BAM leaves out: around a whole item and around a left operand of equal or tighter precedence. */
function dropRedundantParens(e: SqlExpr): SqlExpr {
  if (e.k === 'nested') return dropRedundantParens(e.expr);
  if (e.k !== 'binary' || !(e.op in BINARY_PRECEDENCE)) return e;
  let left = e.left;
  if (left.k === 'nested' && left.expr.k === 'binary') {
    const inner = BINARY_PRECEDENCE[left.expr.op];
    if (inner !== undefined && inner >= BINARY_PRECEDENCE[e.op]!) left = left.expr;
  }
  return { ...e, left: left.k === 'binary' ? dropRedundantParens(left) : left };
}

/** An expression node carrying finished SR text (used while rewriting idioms). */
function rawSr(text: string): SqlExpr {
  return { k: 'unsupported', what: RAW_SR + text };
}

/** `plain` for COUNT(*)/COUNT(x), `conditional` for COUNT(CASE WHEN c THEN x END) and SUM(CASE WHEN c THEN 1 ELSE 0 END). */
function countKind(f: FunctionExpr): 'plain' | 'conditional' | undefined {
  if (f.over) return undefined;
  const name = f.name.toLowerCase();
  if (conditionOf(f)) return 'conditional';
  if (name === 'count' && (f.star || (f.args.length === 1 && f.args[0]!.k === 'column')))
    return 'plain';
  return undefined;
}

function conditionOf(f: FunctionExpr): { cond: SqlExpr; distinctOf?: SqlExpr } | undefined {
  const name = f.name.toLowerCase();
  if (f.args.length !== 1) return undefined;
  const arg = unnest(f.args[0]!);
  let cond: SqlExpr | undefined;
  let value: SqlExpr | undefined;
  let otherwise: SqlExpr | undefined;
  if (arg.k === 'case' && !arg.operand && arg.whens.length === 1) {
    cond = arg.whens[0]!.cond;
    value = arg.whens[0]!.result;
    otherwise = arg.else;
  } else if (arg.k === 'function' && arg.name.toLowerCase() === 'iif' && arg.args.length === 3) {
    [cond, value, otherwise] = arg.args;
  } else return undefined;
  const lit = (e: SqlExpr | undefined, v: string) => {
    const u = e && unnest(e);
    return u?.k === 'literal' && u.type === 'number' && Number(u.value) === Number(v);
  };
  const isNull = (e: SqlExpr | undefined) =>
    !e || (unnest(e).k === 'literal' && (unnest(e) as { type: string }).type === 'null');
  if (name === 'sum' && !f.distinct && lit(value, '1') && lit(otherwise, '0'))
    return { cond: cond! };
  if (name === 'count' && isNull(otherwise) && value) {
    const v = unnest(value);
    if (f.distinct && v.k === 'column') return { cond: cond!, distinctOf: v };
    if (!f.distinct) return { cond: cond! };
  }
  return undefined;
}

/** Rebuilds an expression with `fn` applied to its direct children (not into subqueries). */
function mapChildren(e: SqlExpr, fn: (e: SqlExpr) => SqlExpr): SqlExpr {
  switch (e.k) {
    case 'binary':
      return { ...e, left: fn(e.left), right: fn(e.right) };
    case 'unary':
    case 'nested':
    case 'cast':
    case 'isnull':
      return { ...e, expr: fn(e.expr) };
    case 'function':
      return { ...e, args: e.args.map(fn) };
    case 'case':
      return {
        ...e,
        operand: e.operand && fn(e.operand),
        whens: e.whens.map((w) => ({ cond: fn(w.cond), result: fn(w.result) })),
        else: e.else && fn(e.else),
      };
    case 'between':
      return { ...e, expr: fn(e.expr), low: fn(e.low), high: fn(e.high) };
    case 'like':
      return { ...e, expr: fn(e.expr), pattern: fn(e.pattern) };
    case 'in':
      return { ...e, expr: fn(e.expr), list: e.list?.map(fn) };
    default:
      return e;
  }
}

function hasCast(e: SqlExpr): boolean {
  let found = false;
  walk(e, (x) => {
    if (x.k === 'cast') found = true;
    return !found;
  });
  return found;
}

function isEquality(e: SqlExpr): boolean {
  const u = unnest(e);
  return u.k === 'binary' && u.op === '=';
}

/** The column of `strftime('%Y', column)`. */
function yearOf(e: SqlExpr): SqlExpr | undefined {
  const u = unnest(e);
  if (u.k !== 'function' || u.name.toLowerCase() !== 'strftime' || u.args.length !== 2)
    return undefined;
  const [fmt, col] = u.args as [SqlExpr, SqlExpr];
  const f = unnest(fmt);
  if (f.k !== 'literal' || f.type !== 'string' || f.value !== '%Y') return undefined;
  return unnest(col).k === 'column' ? col : undefined;
}

/**
 * The column of `substr(column, 1, n)` compared with an n-character value of digits and
 * dashes (`substr(t.date, 1, 4) = '2012'`): the test is then exactly a prefix match.
 */
function prefixOf(e: SqlExpr, value: string): SqlExpr | undefined {
  const u = unnest(e);
  if (u.k !== 'function' || !/^substr(ing)?$/i.test(u.name) || u.args.length !== 3)
    return undefined;
  const [col, from, len] = u.args.map(unnest) as [SqlExpr, SqlExpr, SqlExpr];
  if (col.k !== 'column' || from.k !== 'literal' || from.value !== '1') return undefined;
  if (len.k !== 'literal' || len.type !== 'number' || Number(len.value) !== value.length)
    return undefined;
  return /^[0-9-]+$/.test(value) ? col : undefined;
}

function containsSubquery(e: SqlExpr): boolean {
  let found = false;
  walk(e, (x) => {
    if (x.k === 'subquery' || x.k === 'exists' || (x.k === 'in' && x.query)) found = true;
    return !found;
  });
  return found;
}

/** An arithmetic or concatenation expression over row values (no aggregate in it). */
function isComputedValue(e: SqlExpr): boolean {
  const u = unnest(e);
  if (u.k !== 'binary' || !['+', '-', '*', '/', '||', '%'].includes(u.op)) return false;
  let aggregate = false;
  walk(u, (x) => {
    if (isAggregate(x)) aggregate = true;
    if (x.k === 'subquery') aggregate = true;
    return !aggregate;
  });
  return !aggregate;
}

/**
 * True when `reads` holds for some part of the select other than join `j`'s ON condition (other
 * than every ON, without `j`).
 */
function readOutsideOn(
  s: SqlSelect,
  q: SqlQuery | undefined,
  j: SqlSelect['joins'][number] | undefined,
  reads: (x: SqlExpr) => boolean,
): boolean {
  const parts = [
    ...s.items.map((i) => i.expr),
    s.where,
    ...s.groupBy,
    s.having,
    ...(q?.orderBy ?? []).map((o) => o.expr),
    // Without a join: outside every ON.
    ...(j ? s.joins.filter((other) => other !== j).map((other) => other.on) : []),
  ];
  let found = false;
  for (const e of parts)
    if (e && !found)
      walk(e, (x) => {
        if (reads(x)) found = true;
        return !found;
      });
  return found;
}

/**
 * `EXISTS (SELECT 1 FROM m WHERE NOT EXISTS (… x.k = m.k …))`, the middle level of a double
 * NOT EXISTS ("wrestlers who won in every match type"): `m` is read only by the subquery nested
 * in it, so SR would name it nowhere at this level and SR → SQL would not know where to join
 * it. EXISTS ignores what it selects, so it selects that column of `m` instead of the constant.
 */
function namingNestedReads(q: SqlQuery): SqlQuery {
  const b = q.body;
  if (b.k !== 'select' || q.with.length || !b.where) return q;
  if (!b.items.every((i) => i.expr.k === 'literal' || (i.expr.k === 'star' && !i.expr.table)))
    return q;
  for (const r of [b.from, ...b.joins.map((j) => j.ref)]) {
    if (r?.k !== 'table') continue;
    const name = (r.alias ?? r.name).toLowerCase();
    const ofR = (x: SqlExpr) => x.k === 'column' && x.table?.toLowerCase() === name;
    if (readOutsideOn(b, q, undefined, ofR)) continue;
    let nested: SqlExpr | undefined;
    walk(b.where, (x) => {
      if (x.k === 'exists' || x.k === 'subquery' || (x.k === 'in' && x.query))
        walkQuery(x.query!, (y) => {
          if (!nested && ofR(y)) nested = y;
        });
      return nested === undefined;
    });
    if (nested) return { ...q, body: { ...b, items: [{ expr: nested }] } };
  }
  return q;
}

/** A query that yields one row: `LIMIT 1`, or a select of aggregates only with no GROUP BY. */
/** True when `e` reads a column by a name the first query of a set operation gives it. */
function readsOutputName(e: SqlExpr, b: SqlBody): boolean {
  let first = b;
  while (first.k !== 'select') first = first.k === 'set' ? first.left : first.query.body;
  const names = new Set(first.items.flatMap((i) => (i.alias ? [i.alias.toLowerCase()] : [])));
  let found = false;
  walk(e, (x) => {
    if (x.k === 'column' && !x.table && names.has(x.name.toLowerCase())) found = true;
    return !found;
  });
  return found;
}

function isOneRow(q: SqlQuery): boolean {
  const b = q.body;
  const limit = q.limit && unnest(q.limit);
  if (limit?.k === 'literal' && limit.value === '1' && !q.offset) return true;
  if (b.k !== 'select' || b.groupBy.length || b.having || b.items.length === 0) return false;
  return b.items.every((item) => {
    let aggregate = false;
    let bare = false;
    walk(item.expr, (x) => {
      if (x.k === 'subquery') return false;
      if (isAggregate(x) && !x.over) {
        aggregate = true;
        return false;
      }
      if (x.k === 'column' || x.k === 'star') bare = true;
      return true;
    });
    return aggregate && !bare;
  });
}

function unnest(e: SqlExpr): SqlExpr {
  return e.k === 'nested' ? unnest(e.expr) : e;
}

function isLiteral(e: SqlExpr): boolean {
  const u = unnest(e);
  return u.k === 'literal' && u.type !== 'null';
}

/** True for constants and subqueries: things a column is compared with. */
function isValue(e: SqlExpr): boolean {
  const u = unnest(e);
  return (
    (u.k === 'literal' && u.type !== 'null') ||
    u.k === 'subquery' ||
    (u.k === 'unary' && u.op === '-' && unnest(u.expr).k === 'literal')
  );
}

/** Top-level AND parts of a condition (parentheses around AND groups opened). */
export function conjuncts(e: SqlExpr): SqlExpr[] {
  const u = e.k === 'nested' && unnest(e).k === 'binary' ? unnest(e) : e;
  if (u.k === 'binary' && u.op === 'AND') return [...conjuncts(u.left), ...conjuncts(u.right)];
  return [e];
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** A query of one column (not `SELECT *`, which may be several). */
function isSingleColumn(q: SqlQuery): boolean {
  return q.body.k === 'select' && q.body.items.length === 1 && q.body.items[0]!.expr.k !== 'star';
}
