import type { ForeignKey, Schema } from '../schema/schema';
import { type JoinKey, joinKeysOf, type SqlAnalysis } from '../sql/analyze';
import type {
  ColumnExpr,
  Join,
  OrderItem,
  SelectItem,
  SqlBody,
  SqlExpr,
  SqlQuery,
  SqlSelect,
  TableRef,
} from '../sql/ast';
import { SqlUnsupportedError } from '../sql/errors';
import { printExpr, printQuery } from '../sql/print';
import { suggestNames } from '../sql/suggest';
import {
  AGGREGATE_NAMES,
  disjuncts,
  isAggregate,
  plainColumns,
  walk,
  walkQuery,
} from '../sql/walk';
import type { SrArg, SrExpr, SrProgram } from './ast';
import { SrCompileError } from './errors';
import { joinTree, outerFirst } from './joins';
import { parseSr, parseSrExpr } from './parse';
import { indexSchema, type SchemaIndex, unquoteName } from './schema-names';

/** SQL compiled from SR, or why it could not be. */
export type SrToSqlResult =
  | {
      ok: true;
      sql: string;
      query: SqlQuery;
      /**
       * Joins on keys neither the schema declares nor the options name, which the compiler
       * took from column names (`loan.cust_ID = customer.cust_ID`): worth a look.
       */
      guessedJoins: string[];
      /**
       * Steps the result does not depend on (`df2 (line 2)`): what they say is not in the SQL,
       * worth a look when a model wrote the trajectory.
       */
      unusedSteps: string[];
    }
  | { ok: false; error: SrCompileError };

/** A dataframe state: what a chain of SR calls has built so far. */
interface Frame {
  /** Variable whose (finished) result this frame reads from, instead of schema tables. */
  source?: {
    name: string;
    query: SqlQuery;
    columns?: string[];
    /** Result columns that pass a schema column through: name (lower case) -> that column. */
    origins?: Map<string, { table: string; column: string; name: string }>;
    /**
     * Result columns computed with aggregates (`SUM(t.x)`, `SUM(t.x) / COUNT(t.y)`): the
     * expression (as JSON) -> its place in the query's select list (see `computedColumn`).
     */
    computed?: Map<string, number>;
  };
  tables: string[];
  filters: SqlExpr[];
  groupBy: SqlExpr[];
  having: SqlExpr[];
  /** Names the frame gives to aggregates (`count`, `total = sum(...)`). */
  named: Map<string, SqlExpr>;
  aggregates: SqlExpr[];
  orderBy: OrderItem[];
  limit?: SqlExpr;
  offset?: SqlExpr;
  select?: SelectItem[];
  distinct: boolean;
  set?: { op: 'UNION' | 'INTERSECT' | 'EXCEPT'; all: boolean; left: Frame; right: Frame };
  /**
   * For `df1.intersect(df2)` of filters on different tables: the rows of the joined tables that
   * pass both (see `conjoinFilters`). The set operation reads as this unless a select names
   * columns both sides share.
   */
  conjoined?: Frame;
  /** Where the frame was derived from (to merge `a.union(b)` of sibling filters). */
  parent?: Frame;
  /** The grouping (and the `groupby` arguments) a `groupby` by other keys just replaced. */
  regrouped?: { from: Frame; args: SrArg[] };
  /** A grouping of the source joined beside its rows on the group keys (see `nestGrouped`). */
  beside?: {
    name: string;
    query: SqlQuery;
    on: SqlExpr;
    /** A second earlier result joined (see `joinBeside`), after the frame's joins. */
    kind?: 'LEFT' | 'INNER';
    origins?: Map<string, { table: string; column: string; name: string }>;
    columns?: string[];
  };
}

const emptyFrame = (): Frame => ({
  tables: [],
  filters: [],
  groupBy: [],
  having: [],
  named: new Map(),
  aggregates: [],
  orderBy: [],
  distinct: false,
});

const clone = (f: Frame): Frame => ({
  ...f,
  tables: [...f.tables],
  filters: [...f.filters],
  groupBy: [...f.groupBy],
  having: [...f.having],
  named: new Map(f.named),
  aggregates: [...f.aggregates],
  orderBy: [...f.orderBy],
  select: f.select ? [...f.select] : undefined,
  parent: f,
});

const FUNCTIONS = new Set([
  ...AGGREGATE_NAMES,
  'abs',
  'round',
  'length',
  'substr',
  'substring',
  'strftime',
  'julianday',
  'date',
  'datetime',
  'time',
  'lower',
  'upper',
  'trim',
  'ltrim',
  'rtrim',
  'instr',
  'replace',
  'coalesce',
  'ifnull',
  'nullif',
  'iif',
  'typeof',
  'random',
  'sqrt',
  'power',
  'ceil',
  'floor',
  'current_timestamp',
  'current_date',
  'current_time',
  // More of SQLite's core and math functions.
  'char',
  'unicode',
  'hex',
  'quote',
  'printf',
  'format',
  'concat',
  'concat_ws',
  'sign',
  'unixepoch',
  'pow',
  'exp',
  'ln',
  'log',
  'log10',
  'log2',
  'mod',
  'pi',
  'ceiling',
  'trunc',
]);
const WINDOW_FUNCTIONS = new Set([
  'rank',
  'dense_rank',
  'row_number',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
  'percent_rank',
  'cume_dist',
]);
const OPERATOR_ALONE = /^(>=|<=|!=|<>|==|=|>|<)$/;
const ARITHMETIC: Record<string, string> = { divide: '/', subtract: '-', add: '+', multiply: '*' };
/** The names a where/having call gives the value it compares with (`filter = 'in', subquery = …`). */
const VALUE_ARGUMENTS = [
  'value',
  'values',
  'pattern',
  'other',
  'subquery',
  'list',
  'other_element',
  'reference',
];

/**
 * The named arguments of a where/having call that `condition` reads (`and` only between two
 * `value`s of a `between`). Any other name makes the call not understood.
 */
const CONDITION_ARGUMENTS = new Set([
  'mode',
  'element',
  'column',
  'col',
  'filter',
  'condition',
  'op',
  ...VALUE_ARGUMENTS,
]);

/** The named arguments an aggregate (`count`, `sum`, …) reads. */
const AGGREGATE_ARGUMENTS = new Set(['distinct', 'element', 'column', 'col']);

/** The named arguments some calls read (checked before the call is compiled). */
const ORDER_ARGUMENTS = ['by', 'ascending', 'limit', 'by_type'];
const KNOWN_ARGUMENTS: Record<string, readonly string[]> = {
  orderby: ORDER_ARGUMENTS,
  order_by: ORDER_ARGUMENTS,
  sort_values: ORDER_ARGUMENTS,
  sort: ORDER_ARGUMENTS,
  groupby: ['by'],
  group_by: ['by'],
  limit: ['n', 'offset'],
  head: ['n', 'offset'],
  distinct: [],
  drop_duplicates: [],
  unique: [],
  where_in: ['element', 'value', 'values'],
  where_not_in: ['element', 'value', 'values'],
  union: ['all'],
  intersect: ['all'],
  except: ['all'],
};

const OPS: Record<string, string> = {
  '==': '=',
  '=': '=',
  '!=': '<>',
  '<>': '<>',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  '||': '||',
  and: 'AND',
  or: 'OR',
  '&': 'AND',
  '|': 'OR',
};

export interface SrToSqlOptions {
  /**
   * Keys to join on before the schema's foreign keys, such as those of the SQL being
   * corrected (`joinKeysOf`): SR does not say which key a join used, the user's SQL does.
   */
  joinKeys?: readonly JoinKey[];
  /**
   * Tables the result's rows are joined with although the trajectory names none of their
   * columns (`SqlToSrResult.rejoin`: the SQL joined them for what the join does to the rows).
   * Each is joined to the result's tables on one of `joinKeys` that reaches it from them;
   * one no key reaches is left out.
   */
  rejoin?: readonly string[];
  /**
   * The tables the SQL being corrected reads, in the order it reads them
   * (`SqlAnalysis.tables`). A frame's joins start from the first of them it reads, as that
   * SQL's FROM did: the rows are the same from any table, but SQLite walks them in FROM
   * order, which decides the order of ties under ORDER BY and which row a column that is
   * neither grouped nor aggregated comes from.
   */
  tableOrder?: readonly string[];
}

/**
 * What the SQL being corrected says about its joins that its trajectory does not: the keys
 * it joins on, the order it reads its tables in, and (`SqlToSrResult.rejoin`) the tables it
 * joins only for their effect on rows.
 */
export function joinsOfSql(analysis: SqlAnalysis, rejoin: readonly string[]): SrToSqlOptions {
  return { joinKeys: joinKeysOf(analysis), rejoin, tableOrder: analysis.tables };
}

/**
 * Compiles SR into one SQLite query, for the regular subset: where/orwhere/having filters,
 * select, groupby/agg, orderby, limit, distinct, count and the aggregates, union/intersect/
 * except, and filters whose value is a subquery (a `tmp_res` step or `max(t.c)`). Tables
 * are joined along foreign keys (shortest connecting tree). Anything else is reported,
 * naming the step and construct, rather than guessed.
 */
export function srToSql(
  sr: string | SrProgram,
  schema: Schema,
  options: SrToSqlOptions = {},
): SrToSqlResult {
  const index = indexSchema(schema);
  let program: SrProgram;
  if (typeof sr === 'string') {
    const parsed = parseSr(sr, { names: index.lexerNames });
    if (parsed.errors.length)
      return { ok: false, error: new SrCompileError(parsed.errors[0]!.message) };
    program = parsed.program;
  } else program = sr;
  try {
    const compiler = new Compiler(
      index,
      options.joinKeys ?? [],
      options.rejoin ?? [],
      options.tableOrder ?? [],
    );
    const query = compiler.program(program);
    const width = misusedWidth(query, schema);
    if (width) return { ok: false, error: new SrCompileError(width) };
    return {
      ok: true,
      sql: printQuery(query),
      query,
      guessedJoins: guessedJoins(query, schema, [
        ...(options.joinKeys ?? []),
        ...compiler.saidKeys,
      ]),
      unusedSteps: unusedSteps(program),
    };
  } catch (error) {
    if (error instanceof SrCompileError) return { ok: false, error };
    if (error instanceof SqlUnsupportedError) {
      return { ok: false, error: new SrCompileError(`the SQL would need ${error.construct}`) };
    }
    throw error;
  }
}

type Value = { kind: 'frame'; frame: Frame } | { kind: 'expr'; expr: SqlExpr };

/**
 * Why the compiled query uses a result of several columns where one value is needed (a
 * grouping's keys and counts as a number, `in(…)` of two columns) or joins results of
 * different widths in a set operation, which SQLite would reject: undefined when it does not.
 */
function misusedWidth(query: SqlQuery, schema: Schema): string | undefined {
  const columnsOf = (table: string) =>
    schema.tables.find((t) => t.name.toLowerCase() === table.toLowerCase())?.columns.length;
  const refWidth = (ref: TableRef | undefined): number | undefined =>
    !ref ? undefined : ref.k === 'derived' ? bodyWidth(ref.query.body) : columnsOf(ref.name);
  const bodyWidth = (b: SqlBody): number | undefined => {
    if (b.k === 'set') return bodyWidth(b.left);
    if (b.k === 'query') return bodyWidth(b.query.body);
    let n = 0;
    for (const item of b.items) {
      if (item.expr.k !== 'star') n++;
      else if (item.expr.table) {
        const alias = item.expr.table.toLowerCase();
        const ref = [b.from, ...b.joins.map((j) => j.ref)].find(
          (r) => r && (r.alias ?? (r.k === 'table' ? r.name : '')).toLowerCase() === alias,
        );
        const w = refWidth(ref);
        if (w === undefined) return undefined;
        n += w;
      } else {
        for (const ref of [b.from, ...b.joins.map((j) => j.ref)]) {
          const w = refWidth(ref);
          if (w === undefined) return undefined;
          n += w;
        }
      }
    }
    return n;
  };
  let problem: string | undefined;
  walkQuery(query, (x) => {
    const sub = x.k === 'subquery' || (x.k === 'in' && x.query) ? x.query : undefined;
    const width = sub && !problem ? bodyWidth(sub.body) : undefined;
    if (width !== undefined && width !== 1)
      problem = `a result of ${width} columns is used where one value is needed`;
  });
  // The two sides of a set operation (`df2.except(tmp_res1)` of a whole table and one column).
  const sides = (b: SqlBody): void => {
    if (b.k === 'set') {
      const left = bodyWidth(b.left);
      const right = bodyWidth(b.right);
      if (left !== undefined && right !== undefined && left !== right)
        problem ??= `the two sides of ${b.op} have ${left} and ${right} columns`;
      sides(b.left);
      sides(b.right);
    } else if (b.k === 'query') inQuery(b.query);
    else
      for (const ref of [b.from, ...b.joins.map((j) => j.ref)])
        if (ref?.k === 'derived') inQuery(ref.query);
  };
  const inQuery = (q: SqlQuery): void => {
    for (const c of q.with) inQuery(c.query);
    sides(q.body);
  };
  inQuery(query);
  walkQuery(query, (x) => {
    if (x.k === 'subquery' || x.k === 'exists' || (x.k === 'in' && x.query)) inQuery(x.query!);
  });
  return problem;
}

class Compiler {
  private env = new Map<string, Frame>();
  private line = 0;
  /** Tables mentioned anywhere in the current step (for frames that name none). */
  private stepTables: string[] = [];
  /** Frames that read more tables than they name, for the current step (see widenRefinedFrames). */
  private widened = new Map<Frame, string[]>();
  /** True while `computedColumn` compiles an expression to compare it. */
  private comparing = false;
  /** How many aggregate calls the expression being compiled is inside. */
  private aggregateDepth = 0;

  /** The frame `res` is bound to, once all steps are read. */
  private result: Frame | undefined;

  /**
   * The ON of a `leftjoin` step that says more than a key (see `joinStep`), by the joined
   * table (lower case): the LEFT JOIN of that table has it instead of the key's equality.
   */
  private leftOn = new Map<string, SqlExpr>();

  /** What decides between keys when tables are joined (see `joinTree`). */
  private joinHints: {
    preferred: readonly JoinKey[];
    named: Set<string>;
    said: readonly ForeignKey[];
  };

  constructor(
    private readonly index: SchemaIndex,
    joinKeys: readonly JoinKey[],
    private readonly rejoin: readonly string[],
    private readonly tableOrder: readonly string[],
  ) {
    this.joinHints = { preferred: joinKeys, named: new Set(), said: [] };
  }

  /** The equalities the trajectory states between columns of two tables (see `joinTree`). */
  get saidKeys(): readonly ForeignKey[] {
    return this.joinHints.said;
  }

  private fail(message: string): never {
    throw new SrCompileError(message, this.line || undefined);
  }

  /**
   * Runs `fn` to look ahead and forgets what it touched (the step's tables); a step it
   * cannot compile reads as false, and is reported when compiled for real.
   */
  private trial(fn: () => boolean): boolean {
    const saved = this.stepTables;
    const widened = new Map(this.widened);
    this.stepTables = [...saved];
    try {
      return fn();
    } catch (error) {
      if (error instanceof SrCompileError) return false;
      throw error;
    } finally {
      this.stepTables = saved;
      this.widened = widened;
    }
  }

  program(p: SrProgram): SqlQuery {
    this.joinHints.named = this.columnsNamedIn(p);
    this.joinHints.said = this.equalitiesSaidIn(p);
    let last: Frame | undefined;
    for (const st of p.statements) {
      this.line = st.line;
      this.stepTables = this.tablesNamedIn(st.value);
      this.widenRefinedFrames(st.value);
      const value = this.value(st.value, undefined);
      this.widened.clear();
      if (value.kind !== 'frame') {
        // `res = tmp_res1 + tmp_res2`: a scalar computed from other results.
        const frame = emptyFrame();
        frame.select = [{ expr: value.expr }];
        frame.tables = [...this.stepTables];
        if (frame.tables.length === 0) frame.source = { name: '__one', query: oneRow() };
        last = frame;
      } else last = value.frame;
      for (const t of st.targets) this.env.set(t.toLowerCase(), last);
      if (st.targets.length === 0 && st !== p.statements[p.statements.length - 1]) continue;
    }
    const result = this.env.get('res') ?? last;
    if (!result) this.fail('the trajectory has no steps');
    this.line = 0;
    this.result = result;
    return this.toQuery(result);
  }

  /**
   * `df.select(df2.count() * 100 / df1.count())` where df2 refines df1 (BIRD's ratio idiom):
   * both count rows of the same join, so df1 reads df2's tables too (a one-to-many join would
   * otherwise count different rows above and below the line).
   */
  private widenRefinedFrames(e: SrExpr): void {
    const frames: Frame[] = [];
    walkSr(e, (x) => {
      if (x.kind !== 'name') return;
      const bound = this.env.get(x.name.toLowerCase());
      if (bound && !frames.includes(bound)) frames.push(bound);
    });
    for (const a of frames) {
      for (const b of frames) {
        if (a === b || a.source || b.source) continue;
        let p = b.parent;
        while (p && p !== a) p = p.parent;
        if (!p) continue;
        const extra = b.tables.filter((t) => !a.tables.includes(t));
        if (extra.length) this.widened.set(a, [...(this.widened.get(a) ?? []), ...extra]);
      }
    }
  }

  /** Tables a frame reads beyond its own because of `widenRefinedFrames`. */
  private widening(frame: Frame): string[] {
    for (let f: Frame | undefined = frame; f; f = f.parent) {
      const extra = this.widened.get(f);
      if (extra) return extra;
    }
    return [];
  }

  /** The schema columns a trajectory names as `table.column`, lower-case. */
  private columnsNamedIn(p: SrProgram): Set<string> {
    const out = new Set<string>();
    for (const st of p.statements) {
      walkSr(st.value, (x) => {
        // A key counted or summed (`count(Friend.friend_id)`) is not the one the rows are
        // joined on: read alone, it is the other end of the row.
        if (x.kind === 'call') {
          const callee =
            x.callee.kind === 'member' || x.callee.kind === 'name' ? x.callee.name : '';
          return !AGGREGATE_NAMES.has(callee.toLowerCase());
        }
        if (x.kind !== 'member') return true;
        const qualified = `${x.object.kind === 'name' ? x.object.name : ''}.${x.name}`;
        const hit = this.index.qualified.get(qualified.toLowerCase());
        if (hit) out.add(`${hit[0]}.${hit[1]}`.toLowerCase());
        return true;
      });
    }
    return out;
  }

  /**
   * The equalities between columns of two tables that the trajectory's filters state
   * (`where(element = list.Classroom, filter = teachers.Classroom)`): how to join tables no
   * key reaches (see `joinTree`).
   */
  private equalitiesSaidIn(p: SrProgram): ForeignKey[] {
    const out: ForeignKey[] = [];
    const namesAColumn = (e: SrExpr) => {
      let found = false;
      walkSr(e, (x) => {
        if (x.kind === 'member') found = true;
        return !found;
      });
      return found;
    };
    const column = (e: SrExpr | undefined): readonly [string, string] | undefined => {
      // Through a cast (`filter = cast(interest_metrics.interest_id, integer)`) or a function
      // of the column alone (`trim(flights.SourceAirport)`): the same link.
      if (
        e?.kind === 'call' &&
        e.callee.kind === 'name' &&
        !AGGREGATE_NAMES.has(e.callee.name.toLowerCase()) &&
        e.args.slice(1).every((a) => !namesAColumn(a.value))
      )
        return column(e.args[0]?.value);
      return e?.kind === 'member' && e.object.kind === 'name'
        ? this.index.qualified.get(`${e.object.name}.${e.name}`.toLowerCase())
        : undefined;
    };
    for (const st of p.statements) {
      walkSr(st.value, (x) => {
        if (x.kind !== 'call' || x.callee.kind !== 'member') return true;
        if (x.callee.name.toLowerCase() !== 'where') return true;
        const arg = (name: string, at: number) =>
          x.args.find((a) => a.name === name)?.value ??
          (x.args[at] && !x.args[at]!.name ? x.args[at]!.value : undefined);
        // `where(element = a.x, filter = b.y)`, or `where(a.x == b.y)` as one condition.
        const one = x.args.length === 1 && !x.args[0]!.name ? x.args[0]!.value : undefined;
        const [a, b] =
          one?.kind === 'binary' && (one.op === '==' || one.op === '=')
            ? [column(one.left), column(one.right)]
            : [column(arg('element', 0)), column(arg('filter', 1))];
        if (a && b && a[0] !== b[0])
          out.push({ fromTable: a[0], fromColumn: a[1], toTable: b[0], toColumn: b[1] });
        return true;
      });
    }
    return out;
  }

  /** Schema tables a step names, directly or through the steps it uses, in order of mention. */
  private tablesNamedIn(e: SrExpr): string[] {
    const out: string[] = [];
    const add = (t: string) => {
      if (!out.includes(t)) out.push(t);
    };
    walkSr(e, (x) => {
      if (x.kind === 'name') {
        const bound = this.env.get(x.name.toLowerCase());
        if (bound) for (const t of bound.tables) add(t);
      } else if (
        x.kind === 'member' &&
        x.object.kind === 'name' &&
        !this.env.has(x.object.name.toLowerCase())
      ) {
        const table = this.index.tables.get(x.object.name.toLowerCase());
        if (table) add(table);
      }
    });
    return out;
  }

  /** Evaluates an SR expression that is a frame (a chain) or a scalar expression. */
  private value(e: SrExpr, frame: Frame | undefined): Value {
    if (e.kind === 'name') {
      const lower = e.name.toLowerCase();
      if (lower === 'df' && !e.quote) return { kind: 'frame', frame: emptyFrame() };
      const bound = this.env.get(lower);
      if (bound) return { kind: 'frame', frame: this.continueFrom(bound, e.name) };
    }
    if (e.kind === 'call' && e.callee.kind === 'member') {
      const target = this.value(e.callee.object, frame);
      if (target.kind === 'frame') {
        return this.method(target.frame, e.callee.name.toLowerCase(), e.args);
      }
    }
    return { kind: 'expr', expr: this.expr(e, frame) };
  }

  /**
   * A chain continuing from a step's variable: more of the same frame (BAM's steps filter,
   * group, order and limit one frame); once it selected, its result is a table of its own
   * (a derived table named after the variable).
   */
  private continueFrom(bound: Frame, name: string): Frame {
    const finished = bound.select !== undefined && !bound.set;
    if (!finished) return clone(bound);
    return this.asTable(namedAsTable(bound), name.replace(/[^A-Za-z0-9_]/g, '_'));
  }

  /** A frame that reads `frame`'s result as a derived table named `name`. */
  private asTable(frame: Frame, name: string): Frame {
    const out = emptyFrame();
    const query = this.toQuery(frame);
    const computed = new Map<string, number>();
    if (query.body.k === 'select') {
      // A copy: an alias given later (`computedColumn`) is this table's, not `frame`'s.
      query.body = { ...query.body, items: [...query.body.items] };
      query.body.items.forEach((item, i) => {
        if (hasAggregate(item.expr)) computed.set(JSON.stringify(item.expr), i);
      });
    }
    out.source = {
      name,
      query,
      columns: outputNames(frame),
      origins: outputOrigins(frame),
      computed,
    };
    return out;
  }

  /**
   * An expression over an earlier result that the result itself computed, as its column:
   * after `df1 = df.groupby(t.k).agg(sum(t.x))`, `df1.select(avg(sum(t.x)))` averages the
   * groups' sums and `df2.orderby(by = sum(t.x) / count(t.y))` orders by a column `df2`
   * selected. Compiled again over the rows, such an aggregate would sit inside another
   * (which SQLite rejects) or re-join the tables the result was computed from. The column
   * gets a name when it has none (`sum_x`). Outside another aggregate, one that reads no
   * column (`count(*)`) is not the result's: it counts the result's rows.
   */
  private computedColumn(e: SrExpr, f: Frame | undefined): SqlExpr | undefined {
    const source = f?.source;
    if (!f || !source?.computed?.size || this.comparing) return undefined;
    if (e.kind !== 'call' && e.kind !== 'binary') return undefined;
    let compiled: SqlExpr | undefined;
    this.comparing = true;
    try {
      this.trial(() => {
        compiled = this.expr(e, clone(f));
        return true;
      });
    } finally {
      this.comparing = false;
    }
    const index = compiled && source.computed.get(JSON.stringify(compiled));
    if (index === undefined || source.query.body.k !== 'select') return undefined;
    let readsColumn = false;
    walk(compiled!, (x) => {
      if (x.k === 'column') readsColumn = true;
      return !readsColumn;
    });
    if (!readsColumn && this.aggregateDepth === 0) return undefined;
    const items = source.query.body.items;
    const item = items[index]!;
    if (!item.alias) {
      const taken = new Set((source.columns ?? []).map((c) => c.toLowerCase()));
      const base = computedName(item.expr);
      let alias = base;
      for (let n = 2; taken.has(alias.toLowerCase()); n++) alias = `${base}_${n}`;
      items[index] = { ...item, alias };
      source.columns = [...(source.columns ?? []), alias];
    }
    return { k: 'column', table: source.name, name: items[index]!.alias! };
  }

  private frameOf(e: SrExpr, frame: Frame | undefined): Frame | undefined {
    const v = this.value(e, frame);
    return v.kind === 'frame' ? v.frame : undefined;
  }

  private useTable(frame: Frame | undefined, table: string): void {
    if (frame && !frame.tables.includes(table)) frame.tables.push(table);
    if (!this.stepTables.includes(table)) this.stepTables.push(table);
  }

  private method(input: Frame, name: string, args: SrArg[]): Value {
    // After `df1.groupby(u.b)` regrouped `df1 = df.groupby(t.a).agg(count(t.x) as n)`, a step
    // that reads n inside an aggregate (`agg(avg(n))`, `orderby(by = sum(n))`) aggregates the
    // first grouping's results: that grouping becomes a table of its own, grouped by u.b.
    // So do `.count()` and `.having(…)`: how many of the first grouping's groups (those its
    // having kept) each new group has, and which new groups to keep by them.
    const regrouped = input.regrouped;
    if (regrouped) {
      const plain = { ...input, regrouped: undefined };
      const nested =
        (name === 'count' && args.length === 0) ||
        name === 'having' ||
        this.trial(() => {
          const v = this.method(plain, name, args);
          return v.kind === 'frame' && frameHasNestedAggregate(v.frame);
        });
      if (!nested) return this.method(plain, name, args);
      const grouped = this.method(this.nestGrouped(regrouped.from), 'groupby', regrouped.args);
      if (grouped.kind !== 'frame') this.fail('a grouping of a grouping it cannot compile');
      return this.method(grouped.frame, name, args);
    }
    // A set operation's result grouped (`tmp_res1 = a.union(b, all = True)`, then
    // `tmp_res1.groupby(place)`) is a table of its own, its columns named by the first query's.
    if (input.set && /^(groupby|group_by)$/.test(name))
      return this.method(this.asTable(input, 'combined'), name, args);
    if (input.conjoined && name !== 'select' && name !== 'select_distinct')
      return this.method(input.conjoined, name, args);
    const f = clone(input);
    const kw = (n: string) => args.find((a) => a.name?.toLowerCase() === n)?.value;
    const positional = args.filter((a) => !a.name).map((a) => a.value);
    // A named argument a call does not read would be dropped without a word.
    const known = KNOWN_ARGUMENTS[name];
    const unread = known && args.find((a) => a.name && !known.includes(a.name.toLowerCase()));
    if (unread) this.fail(`the ${unread.name} argument of ${name} is not understood`);
    switch (name) {
      case 'where':
      case 'filter':
      case 'having':
      case 'orwhere':
      case 'or_where': {
        // A row filter on a grouping that compares rows with their group's named aggregate
        // (`df1 = df.groupby(t.city).agg(avg(t.r) as a)`, `df1.where(element = t.r, filter =
        // '> a')`): each row beside its group's result, joined on the group's keys.
        if (name !== 'having' && f.groupBy.length && !f.select && f.aggregates.length) {
          const trial = clone(f);
          const rowsVsGroup = this.trial(() =>
            readsRowsBesideGroup(this.condition(trial, args), trial),
          );
          if (rowsVsGroup) return this.method(this.nestGrouped(f, true), name, args);
        }
        const having = name === 'having' || f.groupBy.length > 0;
        let cond = this.condition(f, args);
        // An aggregate in a row filter (`where(t.w * 100 > avg(t.w) * 79)`) is over the whole
        // table, as SQL can only say with a subquery.
        if (!having) cond = mapAggregates(cond, (agg) => this.wholeTable(agg) ?? agg);
        const target = having ? f.having : f.filters;
        if (name === 'orwhere' || name === 'or_where') {
          const last = target.pop();
          if (!last) this.fail('orwhere needs a where before it');
          target.push({ k: 'nested', expr: { k: 'binary', op: 'OR', left: last, right: cond } });
        } else target.push(cond);
        return { kind: 'frame', frame: f };
      }
      case 'groupby':
      case 'group_by': {
        const keys = positional.flatMap((a) => (a.kind === 'list' ? a.items : [a]));
        const by = kw('by');
        if (by) keys.push(...(by.kind === 'list' ? by.items : [by]));
        // Grouped again (by other keys or the same): kept in case the next step reads the first
        // grouping's aggregates (see `method`).
        if (f.groupBy.length && !f.select && f.aggregates.length > 0)
          f.regrouped = { from: clone(input), args };
        // A computed key may be named (`groupby(substr(t.d, 1, 4) as year)`) for later steps.
        f.groupBy = keys.map((k) => {
          const expr = this.expr(k.kind === 'alias' ? k.expr : k, f);
          if (k.kind === 'alias') f.named.set(k.alias.toLowerCase(), expr);
          return expr;
        });
        return { kind: 'frame', frame: f };
      }
      case 'agg':
      case 'aggregate': {
        // `aggregate(function = 'min', element = t.c)`: one aggregate, named by keywords.
        const fnName = kw('function') ?? kw('func');
        const of = kw('element') ?? kw('column');
        if (fnName?.kind === 'string' && of && args.length === 2) {
          const agg = namedAggregate(fnName.value, this.expr(of, f));
          if (!agg) this.fail(`${name}(function = '${fnName.value}') is no aggregate`);
          f.aggregates.push(agg);
          return { kind: 'frame', frame: f };
        }
        // `agg({'t.c': 'sum', 'd': 'max'})`: column → aggregate, as pandas writes it.
        const dict =
          args.length === 1 && args[0]!.value.kind === 'dict' ? args[0]!.value : undefined;
        if (dict) {
          for (const { key, value } of dict.entries) {
            const agg =
              key.kind === 'string' && value.kind === 'string'
                ? namedAggregate(
                    value.value,
                    this.expr(parseSrExpr(key.value, { names: this.index.lexerNames }), f),
                  )
                : undefined;
            if (!agg) this.fail('agg({...}) maps a column to sum, max, …');
            f.aggregates.push(agg);
          }
          return { kind: 'frame', frame: f };
        }
        for (const a of args) {
          // `agg(total = sum(x))` names an aggregate; `agg(function = 'min', …)` with a third
          // argument is not that.
          if (a.name && /^(function|func|element|column|distinct)$/i.test(a.name))
            this.fail(`the ${a.name} argument of ${name} is not understood`);
          const renamed = aliasCall(a.value);
          const value = renamed?.expr ?? (a.value.kind === 'alias' ? a.value.expr : a.value);
          const expr = asCast(this.expr(value, f), renamed?.cast);
          const named =
            a.name ??
            (renamed?.cast ? undefined : renamed?.alias) ??
            (a.value.kind === 'alias' ? a.value.alias : undefined);
          if (named) f.named.set(named.toLowerCase(), expr);
          f.aggregates.push(expr);
        }
        return { kind: 'frame', frame: f };
      }
      case 'count':
      case 'sum':
      case 'avg':
      case 'mean':
      case 'average':
      case 'max':
      case 'min': {
        const fn = name === 'mean' || name === 'average' ? 'AVG' : name.toUpperCase();
        // `groupby(k).count().avg()`: the grouping's one aggregate, aggregated over the groups.
        if (
          f.groupBy.length &&
          !f.select &&
          f.aggregates.length === 1 &&
          !args.length &&
          name !== 'count'
        ) {
          const inner = clone(f);
          inner.select = [{ expr: f.aggregates[0]!, alias: 'value' }];
          const out = this.asTable(inner, 'grouped');
          const value: SqlExpr = { k: 'column', table: 'grouped', name: 'value' };
          out.select = [
            { expr: { k: 'function', name: fn, args: [value], distinct: false, star: false } },
          ];
          return { kind: 'frame', frame: out };
        }
        // Aggregating a grouping that already has its aggregates (`tmp_res1 =
        // df.groupby(k).agg(count(x) as n)`, then `tmp_res1.count()`): over the groups.
        if (f.groupBy.length && !f.select && f.aggregates.length > 0)
          return this.method(this.nestGrouped(f), name, args);
        if (f.groupBy.length && !f.select) {
          const agg = this.aggregateCall(fn, args, f);
          f.named.set(fn === 'AVG' ? 'avg' : name, agg);
          f.aggregates.push(agg);
          return { kind: 'frame', frame: f };
        }
        if (f.select) {
          // `select(x).distinct().count()` and `select(x).sum()`: aggregate the selection;
          // `select(x).count(distinct = True)` counts its distinct values.
          const distinctFlag =
            args.length === 1 &&
            args[0]!.name?.toLowerCase() === 'distinct' &&
            args[0]!.value.kind === 'name' &&
            /^true$/i.test(args[0]!.value.name);
          if (distinctFlag && f.select.length === 1) {
            f.distinct = true;
            return this.method(f, name, []);
          }
          if (f.select.length !== 1 || args.length > 0) {
            if (name === 'count' && args.length === 0)
              return { kind: 'frame', frame: this.countOf(f) };
            this.fail(`${name}() after a select of ${f.select.length} columns`);
          }
          const item = f.select[0]!.expr;
          const distinct = f.distinct;
          // `df1.select(total_killed).sum()` where df1 grouped with `sum(death.killed) as
          // total_killed`: the sum of the groups' totals, over the grouping's rows.
          if (f.groupBy.length && hasAggregate(item)) {
            const inner = clone(f);
            inner.select = [{ expr: item, alias: 'value' }];
            const out = this.asTable(inner, 'grouped');
            const value: SqlExpr = { k: 'column', table: 'grouped', name: 'value' };
            out.select = [
              { expr: { k: 'function', name: fn, args: [value], distinct: false, star: false } },
            ];
            return { kind: 'frame', frame: out };
          }
          f.distinct = false;
          if (name === 'count' && item.k === 'star') f.select = [{ expr: countStar() }];
          else
            f.select = [{ expr: { k: 'function', name: fn, args: [item], distinct, star: false } }];
          return { kind: 'frame', frame: f };
        }
        f.select = [{ expr: this.aggregateCall(fn, args, f) }];
        return { kind: 'frame', frame: f };
      }
      case 'select':
      case 'select_distinct': {
        if (!args.length) this.fail(`${name}() names nothing to select`);
        // `avg(n)` of a grouping's `count(x) as n`: an aggregate of aggregates, over the groups.
        if (f.groupBy.length && !f.select && f.aggregates.length > 0) {
          const trial = clone(f);
          const nested = this.trial(() =>
            args.some((a) => hasNestedAggregate(this.expr(a.value, trial))),
          );
          if (nested) return this.method(this.nestGrouped(f), name, args);
        }
        const items: SelectItem[] = [];
        for (const a of args) {
          let v = a.value;
          if (
            v.kind === 'call' &&
            v.callee.kind === 'name' &&
            v.callee.name.toLowerCase() === 'distinct'
          ) {
            f.distinct = true;
            for (const inner of v.args) items.push(this.selectItem(inner.value, f));
            continue;
          }
          if (a.name?.toLowerCase() === 'distinct') {
            f.distinct = true;
            // `select(t.a, distinct = True)`: a flag, not one more column.
            if (v.kind === 'name' && /^true$/i.test(v.name)) continue;
            v = a.value;
          }
          items.push(
            this.selectItem(
              v,
              f,
              a.name && a.name.toLowerCase() !== 'distinct' ? a.name : undefined,
            ),
          );
        }
        if (name === 'select_distinct') f.distinct = true;
        if (f.set && !f.set.left.select && !f.set.right.select) {
          const left = this.method(f.set.left, 'select', args) as { kind: 'frame'; frame: Frame };
          const right = this.method(f.set.right, 'select', args) as { kind: 'frame'; frame: Frame };
          f.set = { ...f.set, left: left.frame, right: right.frame };
          f.conjoined = undefined;
          return { kind: 'frame', frame: f };
        }
        f.select = items;
        return { kind: 'frame', frame: f };
      }
      case 'where_in':
      case 'where_not_in': {
        // `df.where_not_in(molecule.molecule_id, tmp_res1)`.
        const element = kw('element') ?? positional[0];
        const values = kw('value') ?? kw('values') ?? positional[1];
        if (!element || !values) this.fail(`${name} needs an element and values`);
        const op = name === 'where_in' ? 'in' : 'not in';
        const having = f.groupBy.length > 0;
        (having ? f.having : f.filters).push(
          this.binaryFilter(this.expr(element, f), op, values, f),
        );
        return { kind: 'frame', frame: f };
      }
      case 'as':
      case 'alias':
      case 'label':
      case 'cast':
      case 'astype': {
        // `select(district.A3).as(region)`: the name of the one value the step produces;
        // `df2.count().as(float)`: that value as a type.
        const given = positional[0];
        const alias =
          given?.kind === 'name' ? given.name : given?.kind === 'string' ? given.value : undefined;
        if (!alias || args.length !== 1) this.fail(`${name}(...) needs one name`);
        const only = f.select?.length === 1 ? f.select[0] : undefined;
        const cast = castType(alias);
        if ((name === 'cast' || name === 'astype') && !cast)
          this.fail(`${name}(${alias}) is no type`);
        if (only && cast) {
          f.select = [{ ...only, expr: asCast(only.expr, cast) }];
        } else if (only) {
          f.select = [{ ...only, alias }];
          f.named.set(alias.toLowerCase(), only.expr);
        } else if (!f.select && f.aggregates.length === 1 && !cast) {
          f.named.set(alias.toLowerCase(), f.aggregates[0]!);
        } else this.fail(`${name}(${alias}) names one value, and this step has several`);
        return { kind: 'frame', frame: f };
      }
      case 'distinct':
      case 'drop_duplicates':
      case 'unique': {
        // `df1.distinct(t.a)`: the distinct values of t.a; after a select, only of what it
        // selected (pandas' `drop_duplicates(subset)` keeps whole rows, SQL cannot say that).
        if (positional.length && !f.select) return this.method(f, 'select_distinct', args);
        if (positional.length) {
          const trial = clone(f);
          const same =
            positional.length === f.select!.length &&
            this.trial(() =>
              positional.every(
                (p, i) =>
                  JSON.stringify(this.expr(p, trial)) === JSON.stringify(f.select![i]!.expr),
              ),
            );
          if (!same) this.fail(`${name}(...) of other columns than the step selects`);
        }
        f.distinct = true;
        return { kind: 'frame', frame: f };
      }
      case 'orderby':
      case 'order_by':
      case 'sort_values':
      case 'sort': {
        const by = kw('by') ?? positional[0];
        if (!by) this.fail('orderby needs "by"');
        const start = f.orderBy.length;
        const keys = by.kind === 'list' ? by.items : [by];
        for (const k of keys) {
          if (k.kind === 'name' && /^(desc|asc)$/i.test(k.name)) {
            const lastKey = f.orderBy[f.orderBy.length - 1];
            if (lastKey) lastKey.desc = k.name.toLowerCase() === 'desc';
            continue;
          }
          f.orderBy.push({ expr: this.expr(k, f) });
        }
        // After `by`, a direction applies to the keys since the previous one (`orderby(by = [a,
        // b], desc)`), and anything else is one more key (`orderby(by = Sales, desc,
        // artists.Name, asc)`, `orderby(by = t.a, t.b)`).
        let from = start;
        for (const p of positional) {
          if (p === by) continue;
          if (p.kind === 'name' && /^(asc|ascending|desc|descending)$/i.test(p.name)) {
            for (let i = from; i < f.orderBy.length; i++)
              f.orderBy[i]!.desc = /^desc/i.test(p.name);
            from = f.orderBy.length;
          } else f.orderBy.push({ expr: this.expr(p, f) });
        }
        const ascending = kw('ascending');
        if (ascending?.kind === 'name')
          for (let i = start; i < f.orderBy.length; i++)
            f.orderBy[i]!.desc = /^false$/i.test(ascending.name);
        // `orderby(by = …, limit = 5)`, and `by_type = abs`: by the keys' absolute values.
        const limit = kw('limit');
        if (limit) f.limit = this.expr(limit, f);
        const byType = kw('by_type');
        if (byType) {
          if (byType.kind !== 'name' || byType.name.toLowerCase() !== 'abs')
            this.fail(`orderby's by_type is understood only as abs`);
          for (let i = start; i < f.orderBy.length; i++) {
            const key = f.orderBy[i]!;
            key.expr = {
              k: 'function',
              name: 'ABS',
              args: [key.expr],
              distinct: false,
              star: false,
            };
          }
        }
        return { kind: 'frame', frame: f };
      }
      case 'limit':
      case 'head': {
        const n = positional[0] ?? kw('n');
        if (!n) this.fail('limit needs a number');
        if (positional.length > 2) this.fail(`${name}(...) of ${positional.length} values`);
        f.limit = this.expr(n, f);
        const offset = kw('offset') ?? positional[1];
        if (offset) f.offset = this.expr(offset, f);
        return { kind: 'frame', frame: f };
      }
      case 'union':
      case 'intersect':
      case 'except': {
        // `df1.union(df2, df3)`: one after the other.
        if (positional.length > 1) {
          const named = args.filter((a) => a.name);
          const first = this.method(input, name, [{ value: positional[0]! }, ...named]);
          if (first.kind !== 'frame') this.fail(`${name} of a value`);
          return this.method(first.frame, name, [
            ...positional.slice(1).map((value) => ({ value })),
            ...named,
          ]);
        }
        const other = positional[0] ? this.frameOf(positional[0], f) : undefined;
        if (!other) this.fail(`${name} needs another trajectory result`);
        const all = kw('all');
        const isAll = all?.kind === 'name' && /^true$/i.test(all.name);
        const merged = name === 'union' && !isAll ? mergeSiblings(input, other) : undefined;
        if (merged) return { kind: 'frame', frame: merged };
        const out = emptyFrame();
        out.set = { op: name.toUpperCase() as 'UNION', all: isAll, left: input, right: other };
        const conjoined =
          name === 'union' ? undefined : conjoinFilters(input, other, name === 'except');
        if (conjoined) out.conjoined = conjoined;
        return { kind: 'frame', frame: out };
      }
      case 'leftjoin':
      case 'left_join':
        return { kind: 'frame', frame: this.joinStep(f, positional, kw('on')) };
      case 'join': {
        // pandas' `how`: a LEFT JOIN, or (by default) an inner one.
        const how = kw('how');
        const kind = how?.kind === 'string' ? how.value.toLowerCase() : 'inner';
        if (kind !== 'left' && kind !== 'inner')
          this.fail(`join(how = '${kind}') is not understood (left or inner)`);
        const frame = this.joinStep(f, positional, kw('on'), kind === 'left' ? 'LEFT' : 'INNER');
        return { kind: 'frame', frame };
      }
      default:
        this.fail(`the step uses "${name}", which has no SQL counterpart here`);
    }
  }

  /**
   * `df1 = df.leftjoin(Dogs, on = Owners.owner_id = Dogs.owner_id)`: Dogs joined by a LEFT JOIN
   * that keeps every row of the other side (Dogs' columns NULL where none matches). Likewise
   * an earlier result, `df3 = df.leftjoin(df2, on = Owners.owner_id = Dogs.owner_id)` by a
   * column it passes on (or `df2.owner_id`), read from then on as `df2` is, and a table joined
   * to the earlier result a frame reads. The equality becomes the key the joins take first, a
   * LEFT JOIN from the kept side (see `joinTree` and `outerToSource`), as the SQL's own LEFT
   * JOIN key does in the fast preset. Between tables, the equality may compare expressions of
   * the two columns (`trim(flights.SourceAirport) = airports.AirportCode`) and more conditions
   * may follow (`and game.Season == 2010`): then the whole is the join's ON (see `leftOn`).
   * With `kind` INNER (`join(…)`), an inner join the same way, its other conditions filters.
   */
  private joinStep(
    f: Frame,
    positional: SrExpr[],
    on: SrExpr | undefined,
    kind: 'LEFT' | 'INNER' = 'LEFT',
  ): Frame {
    const target = positional[0];
    const what = kind === 'LEFT' ? 'left join' : 'join';
    // `df1.join(df2, on = web_region.name)`: two results on a column both pass on.
    const shared = on?.kind === 'member' && kind === 'INNER';
    if (positional.length !== 1 || target?.kind !== 'name' || (on?.kind !== 'binary' && !shared))
      this.fail(`a ${what} names one table or earlier result and its condition (on = a.x = t.y)`);
    const bound = this.env.get(target.name.toLowerCase());
    const result = bound ? this.frameOf(target, f) : undefined;
    // A second earlier result, joined beside the one the frame reads (see `Frame.beside`).
    const second = result !== undefined && f.source !== undefined;
    if (result && !second && (f.tables.length || f.filters.length || f.groupBy.length))
      this.fail(`a ${what} of an earlier result starts from df or from another result`);
    if (second && (!result.source || f.beside || f.groupBy.length || f.select))
      this.fail(`the ${what} with ${target.name} joins a third result or a grouping`);
    const table = bound ? undefined : this.index.tables.get(unquoteName(target.name).toLowerCase());
    if (!result && !table) this.fail(`${target.name} is neither a table nor an earlier result`);
    // A column as the schema column it is or passes on, and whether it is the joined side's.
    const column = (e: SrExpr) => {
      if (e.kind !== 'member' || e.object.kind !== 'name') return undefined;
      const owner = unquoteName(e.object.name).toLowerCase();
      const name = unquoteName(e.name).toLowerCase();
      for (const frame of [result, f]) {
        const origin = frame?.source && same(frame.source.name, owner) ? frame : undefined;
        const through = origin?.source?.origins?.get(name);
        if (through) return { ...through, joined: frame === result, read: false, named: true };
      }
      // A schema column: the joined table's, or one an earlier result passes on.
      const q = this.index.qualified.get(`${owner}.${name}`);
      if (!q) return undefined;
      const [t, col] = q;
      const passes = (frame: Frame | undefined) =>
        [...(frame?.source?.origins?.values() ?? [])].some(
          (o) => same(o.table, t) && same(o.column, col),
        );
      const joined = table ? same(t, table) : passes(result);
      return { table: t, column: col, joined, read: !joined && !passes(f), named: false };
    };
    // The one column a side of the equality reads (`trim(flights.SourceAirport)`).
    const lone = (e: SrExpr) => {
      const members: SrExpr[] = [];
      const visit = (x: SrExpr) => {
        if (x.kind === 'member' && x.object.kind === 'name') members.push(x);
        else if (x.kind === 'call') for (const a of x.args) visit(a.value);
        else if (x.kind === 'binary') [x.left, x.right].forEach(visit);
        else if (x.kind === 'unary') visit(x.operand);
      };
      visit(e);
      return members.length === 1 ? column(members[0]!) : undefined;
    };
    const conditions: SrExpr[] = [];
    const split = (e: SrExpr) => {
      if (e.kind === 'binary' && e.op.toLowerCase() === 'and') [e.left, e.right].forEach(split);
      else conditions.push(e);
    };
    split(on);
    const keyOf = (c: SrExpr) => {
      if (c.kind !== 'binary' || OPS[c.op] !== '=') return undefined;
      const [a, b] = [lone(c.left), lone(c.right)];
      const [kept, joined] = a?.joined ? [b, a] : [a, b];
      if (!kept || !joined || kept.joined || !joined.joined) return undefined;
      // Two results may pass on the same table's column (`df2.customer_id = df5.customer_id`).
      if (same(kept.table, joined.table) && !second) return undefined;
      const plain = c.left.kind === 'member' && c.right.kind === 'member';
      return { c: c as SrExpr, kept, joined, plain };
    };
    let key = conditions.map(keyOf).find((k) => k !== undefined);
    if (shared && second && on.kind === 'member') {
      // The column each result passes on, under the name it gives it.
      const c = column(on);
      const origin = (src: NonNullable<Frame['source']>) =>
        c &&
        [...(src.origins?.values() ?? [])].find(
          (o) => same(o.table, c.table) && same(o.column, c.column),
        );
      const [a, b] = [origin(f.source!), origin(result.source!)];
      if (a && b)
        key = {
          c: on,
          kept: { ...a, joined: false, read: false, named: true },
          joined: { ...b, joined: true, read: false, named: true },
          plain: true,
        };
    }
    if (!key)
      this.fail(
        `the ${what} with ${target.name} is not on a column of it and one of another table`,
      );
    const { kept, joined } = key;
    if (second) return this.joinBeside(f, result.source!, key, kind);
    if (on.kind !== 'binary') this.fail(`the ${what} with ${target.name} needs an equality`);
    this.joinHints = {
      ...this.joinHints,
      preferred: [
        {
          fromTable: kept.table,
          fromColumn: kept.column,
          toTable: joined.table,
          toColumn: joined.column,
          ...(kind === 'LEFT' ? { outer: true } : {}),
        },
        ...this.joinHints.preferred,
      ],
    };
    const out = result ?? f;
    if (kept.read) this.useTable(out, kept.table);
    if (table) this.useTable(out, table);
    if (!key.plain || conditions.length > 1) {
      if (!table || !kept.read)
        this.fail(`the ${what} with ${target.name} says more than a key of an earlier result`);
      // An inner join's condition filters pairs of rows as a WHERE does.
      if (kind === 'INNER') for (const c of conditions) out.filters.push(this.expr(c, out));
      else this.leftOn.set(table.toLowerCase(), this.expr(on, clone(out)));
    }
    return out;
  }

  /**
   * `df4 = df3.leftjoin(df2, on = countries.CountryId = car_makers.Country)` where df3 reads
   * another earlier result (two CTEs LEFT JOINed to one table): df2 joined beside it by a
   * LEFT JOIN (or, for `join`, an inner one) on that equality, its columns read by the names
   * it gives them.
   */
  private joinBeside(
    f: Frame,
    other: NonNullable<Frame['source']>,
    key: {
      c: SrExpr;
      kept: { table: string; column: string; read: boolean; named: boolean; name?: string };
      joined: { table: string; column: string; named: boolean; name?: string };
      plain: boolean;
    },
    kind: 'LEFT' | 'INNER',
  ): Frame {
    const source = f.source!;
    const { kept, joined } = key;
    if (!key.plain) this.fail(`the left join with ${other.name} says more than a key`);
    // Each side by the name its result gives the column (a table's own name when read).
    const nameIn = (src: NonNullable<Frame['source']>, side: typeof joined) =>
      side.name ??
      [...(src.origins?.values() ?? [])].find(
        (o) => same(o.table, side.table) && same(o.column, side.column),
      )?.name;
    const mine = nameIn(other, joined);
    const theirs: SqlExpr | undefined = kept.read
      ? { k: 'column', table: kept.table, name: kept.column }
      : (() => {
          const n = nameIn(source, kept);
          return n ? { k: 'column', table: source.name, name: n } : undefined;
        })();
    if (!mine || !theirs)
      this.fail(`the left join with ${other.name} is not on a column it passes on`);
    const out = clone(f);
    if (kept.read) this.useTable(out, kept.table);
    out.beside = {
      name: other.name,
      query: other.query,
      on: {
        k: 'binary',
        op: '=',
        left: theirs,
        right: { k: 'column', table: other.name, name: mine },
      },
      kind,
      origins: other.origins,
      columns: other.columns,
    };
    // Its columns by their bare names, but for those the first result has too (`df2.n`).
    const first = new Set((source.columns ?? []).map((c) => c.toLowerCase()));
    for (const c of other.columns ?? [])
      if (!out.named.has(c.toLowerCase()) && !first.has(c.toLowerCase()))
        out.named.set(c.toLowerCase(), { k: 'column', table: other.name, name: c });
    return out;
  }

  /** A grouped frame's result (keys, then aggregates under their names) as a derived table. */
  private nestGrouped(f: Frame, besideRows = false): Frame {
    const names = new Map([...f.named].map(([name, expr]) => [expr, name]));
    const inner = clone(f);
    inner.select = [
      // A computed key keeps its name (`groupby(trim(airports.City) as city)`).
      ...f.groupBy.map((expr) => {
        const alias = expr.k === 'column' ? undefined : names.get(expr);
        return alias ? { expr, alias } : { expr };
      }),
      ...f.aggregates.map((expr) => {
        const alias = names.get(expr);
        return alias ? { expr, alias } : { expr };
      }),
    ];
    // For rows compared with their group's result (`besideRows`), a grouping of an earlier
    // result alone (`df2 = df1.groupby(country.Continent).agg(max(…) as m)`, then
    // `df2.where(element = city.Population, filter = m)`): each row of that result beside
    // its group's, joined on the keys; not rows read again from the schema tables, which
    // would drop what the result filtered.
    const source = f.source;
    const keys = f.groupBy.filter(
      (k): k is ColumnExpr => k.k === 'column' && same(k.table ?? '', source?.name ?? ''),
    );
    if (
      besideRows &&
      source &&
      !f.tables.length &&
      keys.length &&
      keys.length === f.groupBy.length
    ) {
      // (The earlier result may itself be a grouping read as `grouped`.)
      const name = same(source.name, 'grouped') ? 'regrouped' : 'grouped';
      const grouped = this.asTable(inner, name).source!;
      const out = emptyFrame();
      out.source = source;
      out.beside = {
        name,
        query: grouped.query,
        on: keys
          .map(
            (k): SqlExpr => ({
              k: 'binary',
              op: '=',
              left: { k: 'column', table: source.name, name: k.name },
              right: { k: 'column', table: name, name: k.name },
            }),
          )
          .reduce((l, r) => ({ k: 'binary', op: 'AND', left: l, right: r })),
      };
      const outputs = outputNames(inner) ?? [];
      inner.select.forEach((item, i) => {
        if (item.alias && outputs[i])
          out.named.set(item.alias.toLowerCase(), {
            k: 'column',
            table: name,
            name: outputs[i]!,
          });
      });
      return out;
    }
    return this.asTable(inner, 'grouped');
  }

  /** `(SELECT agg FROM <its tables>)` for an aggregate over schema columns; else undefined. */
  private wholeTable(agg: SqlExpr): SqlExpr | undefined {
    const tables: string[] = [];
    let schemaOnly = true;
    walk(agg, (x) => {
      if (x.k === 'column' || x.k === 'star') {
        const t = x.table;
        if (t && this.index.tables.has(t.toLowerCase())) {
          if (!tables.includes(t)) tables.push(t);
        } else if (x.k === 'column') schemaOnly = false;
      }
      return true;
    });
    if (!schemaOnly || tables.length === 0) return undefined;
    const sub = emptyFrame();
    sub.tables = tables;
    sub.select = [{ expr: agg }];
    return { k: 'subquery', query: this.toQuery(sub) };
  }

  /** `.count()` of a frame that already selects several columns: count its rows. */
  private countOf(f: Frame): Frame {
    const out = emptyFrame();
    out.source = { name: 'counted', query: this.toQuery(f) };
    out.select = [{ expr: countStar() }];
    return out;
  }

  private aggregateCall(fn: string, args: SrArg[], f: Frame): SqlExpr {
    this.aggregateDepth++;
    try {
      return this.aggregateCallIn(fn, args, f);
    } finally {
      this.aggregateDepth--;
    }
  }

  private aggregateCallIn(fn: string, args: SrArg[], f: Frame): SqlExpr {
    // A named argument is the value (`element`, `column`) or `distinct`, given the value
    // (`count(distinct = t.c)`) or as a flag (`count(t.c, distinct = True)`); any other name
    // (`count(t.c, filter = 'x')`, `sum(case = 'a', element = t.c)`) would be dropped.
    const unread = args.find((a) => a.name && !AGGREGATE_ARGUMENTS.has(a.name.toLowerCase()));
    if (unread) this.fail(`the ${unread.name} argument of ${fn.toLowerCase()} is not understood`);
    const distinctKw = args.find((a) => a.name?.toLowerCase() === 'distinct');
    const flagged = distinctKw?.value.kind === 'name' ? distinctKw.value.name : '';
    const flag = /^(true|false)$/i.test(flagged);
    const rest = args.filter((a) => a !== distinctKw);
    if (distinctKw && !flag) {
      if (rest.length) this.fail(`${fn.toLowerCase()}(distinct = …) with another value`);
      return {
        k: 'function',
        name: fn,
        args: [this.expr(distinctKw.value, f)],
        distinct: true,
        star: false,
      };
    }
    const distinct = /^true$/i.test(flagged);
    if (rest.length === 0) {
      if (fn !== 'COUNT' || distinct) this.fail(`${fn.toLowerCase()}() needs a column`);
      return countStar();
    }
    if (rest.length > 1) {
      // SQLite's scalar `max(a, b)` / `min(a, b)`, and `group_concat(x, ', ')` with its separator.
      if (rest.some((a) => a.name) || !/^(MAX|MIN|GROUP_CONCAT)$/.test(fn) || distinct)
        this.fail(`${fn.toLowerCase()}(...) of ${rest.length} values`);
      const out = rest.map((a) => this.expr(a.value, f));
      return { k: 'function', name: fn, args: out, distinct: false, star: false };
    }
    const first = rest[0]!.value;
    if (distinct) {
      const arg = this.expr(first, f);
      if (arg.k === 'star') this.fail(`${fn.toLowerCase()}(*, distinct = True)`);
      return { k: 'function', name: fn, args: [arg], distinct: true, star: false };
    }
    if (
      first.kind === 'call' &&
      first.callee.kind === 'name' &&
      first.callee.name.toLowerCase() === 'distinct'
    ) {
      return {
        k: 'function',
        name: fn,
        args: first.args.map((a) => this.expr(a.value, f)),
        distinct: true,
        star: false,
      };
    }
    const arg = this.expr(first, f);
    if (fn === 'COUNT' && arg.k === 'star') return countStar();
    return { k: 'function', name: fn, args: [arg], distinct: false, star: false };
  }

  private selectItem(v: SrExpr, f: Frame, alias?: string): SelectItem {
    const renamed = aliasCall(v);
    if (renamed?.cast) return { expr: asCast(this.expr(renamed.expr, f), renamed.cast) };
    if (renamed) return this.selectItem(renamed.expr, f, renamed.alias);
    if (v.kind === 'alias') {
      const item: SelectItem = { expr: this.expr(v.expr, f), alias: v.alias };
      f.named.set(v.alias.toLowerCase(), item.expr);
      return item;
    }
    return alias ? { expr: this.expr(v, f), alias } : { expr: this.expr(v, f) };
  }

  /** The condition of a where/having call. */
  private condition(f: Frame, args: SrArg[]): SqlExpr {
    const get = (...names: string[]) =>
      args.find((a) => a.name && names.includes(a.name.toLowerCase()))?.value;
    const positional = args.filter((a) => !a.name).map((a) => a.value);
    let element = get('element', 'column', 'col');
    let filter = get('filter', 'condition', 'op');
    // `filter = '>= 1997', mode = 'year'`: the filter is on the year of the element.
    const mode = get('mode');
    if (mode) {
      const part = mode.kind === 'string' ? mode.value.trim().toLowerCase() : '';
      if (!(part in DATE_PARTS) || !element)
        this.fail("a filter's mode is understood only as 'year', 'month' or 'day'");
      element = {
        kind: 'call',
        callee: { kind: 'name', name: part, start: element.start, end: element.start },
        args: [{ value: element }],
        start: element.start,
        end: element.end,
      };
    }
    // `filter = 'between', value1 = a, value2 = b`, and `value = a, and = 'and', value = b`.
    const values = args.filter((a) => a.name?.toLowerCase() === 'value').map((a) => a.value);
    const [low, high] =
      values.length === 2 ? values : [get('value1', 'low'), get('value2', 'high')];
    const between = filter?.kind === 'string' && /^between$/i.test(filter.value.trim());
    if (between && low && high && (element ?? positional[0])) {
      return {
        k: 'between',
        expr: this.expr((element ?? positional[0])!, f),
        low: this.valueExpr(low, f),
        high: this.valueExpr(high, f),
        not: false,
      };
    }
    // An argument not read here would be dropped without a word, and the condition would
    // say something else (`filter = 'in', subquery = tmp_res1` read as `= 'in'`).
    const unknown = args.find((a) => a.name && !CONDITION_ARGUMENTS.has(a.name.toLowerCase()));
    if (unknown) this.fail(`the ${unknown.name} argument of a filter is not understood`);
    if (low || high || values.length > 1)
      this.fail("two values are understood only as the bounds of filter = 'between'");
    const value = get(...VALUE_ARGUMENTS);
    let rest = positional;
    if (!element && rest.length) [element, ...rest] = rest;
    if (!filter && rest.length) [filter, ...rest] = rest;
    if (!element) this.fail('where needs an element');
    if (!filter) {
      // `where(t.a == 1 and t.b > 2)`: a whole condition.
      return this.expr(element, f);
    }
    const left = this.expr(element, f);
    const extra = value ?? rest[0];
    if (filter.kind === 'string') {
      if (extra) return this.binaryFilter(left, filter.value.trim(), extra, f);
      return this.stringFilter(left, filter.value, f);
    }
    if (filter.kind === 'name' && /^(in|not_in)$/i.test(filter.name) && extra) {
      return this.binaryFilter(left, filter.name.replace('_', ' '), extra, f);
    }
    // `filter = in(tmp_res1)`, `filter = not_in(df1.id)`, `filter = in('a', 'b')`.
    if (
      filter.kind === 'call' &&
      filter.callee.kind === 'name' &&
      /^(in|isin|not_in)$/i.test(filter.callee.name) &&
      filter.args.length > 0 &&
      !filter.args.some((a) => a.name)
    ) {
      const op = /^not/i.test(filter.callee.name) ? 'not in' : 'in';
      const [first, ...others] = filter.args.map((a) => a.value);
      const values: SrExpr = others.length
        ? { kind: 'list', items: [first!, ...others], start: filter.start, end: filter.end }
        : first!;
      return this.binaryFilter(left, op, values, f);
    }
    if (filter.kind === 'list')
      return { k: 'in', expr: left, list: filter.items.map((x) => this.expr(x, f)), not: false };
    return { k: 'binary', op: '=', left, right: this.valueExpr(filter, f) };
  }

  /** `filter = 'in', value = …` and `filter = 'like', pattern = …`. */
  private binaryFilter(left: SqlExpr, op: string, value: SrExpr, f: Frame): SqlExpr {
    const lower = op.toLowerCase();
    if (lower === 'in' || lower === 'not in') {
      const not = lower === 'not in';
      if (value.kind === 'list') {
        const frames = value.items.map((x) => this.frameOf(x, f));
        if (value.items.length === 1 && frames[0])
          return { k: 'in', expr: left, query: this.toQuery(frames[0]), not };
        return { k: 'in', expr: left, list: value.items.map((x) => this.expr(x, f)), not };
      }
      const frame = this.frameOf(value, f);
      if (frame) return { k: 'in', expr: left, query: this.toQuery(frame), not };
      // `in(df1.client_id)`: df1's client_ids, `IN (SELECT …)` (SQLite reads `IN ((SELECT
      // …))` alike, but it reads as a list of one value).
      const one = this.expr(value, f);
      if (one.k === 'subquery') return { k: 'in', expr: left, query: one.query, not };
      return { k: 'in', expr: left, list: [one], not };
    }
    if (lower === 'like' || lower === 'not like') {
      return { k: 'like', expr: left, pattern: this.expr(value, f), not: lower === 'not like' };
    }
    // `filter = 'contains', value = '31/12'` (pandas' `str.contains`): case and all, as
    // INSTR finds it (LIKE would ignore case and read `%` and `_` in the value).
    if (lower === 'contains' || lower === 'not contains') {
      const found: SqlExpr = {
        k: 'function',
        name: 'INSTR',
        args: [left, this.valueExpr(value, f)],
        distinct: false,
        star: false,
      };
      return {
        k: 'binary',
        op: lower === 'contains' ? '>' : '=',
        left: found,
        right: { k: 'literal', type: 'number', value: '0' },
      };
    }
    if (lower === 'between' && value.kind === 'list' && value.items.length === 2) {
      const [low, high] = value.items.map((x) => this.valueExpr(x, f));
      return { k: 'between', expr: left, low: low!, high: high!, not: false };
    }
    const sqlOp = OPS[lower];
    if (sqlOp && !['AND', 'OR', '||'].includes(sqlOp))
      return { k: 'binary', op: sqlOp, left, right: this.valueExpr(value, f) };
    this.fail(`filter "${op}" with a value is not understood`);
  }

  /** A filter written as a string: `'> 500'`, `'is not null'`, `'between a and b'`, `'like x%'`, or a value. */
  private stringFilter(left: SqlExpr, text: string, f: Frame): SqlExpr {
    const s = text.trim();
    // An operator with nothing to compare with is the value itself (`bond_type = '='`).
    if (OPERATOR_ALONE.test(s))
      return { k: 'binary', op: '=', left, right: { k: 'literal', type: 'string', value: text } };
    // `'< 150 OR > 450'`, `'is NULL or = *'`: alternatives on the same element.
    const alternatives = s.split(/\s+or\s+/i);
    if (
      alternatives.length > 1 &&
      alternatives.every((a) => /^(>=|<=|!=|<>|==|=|>|<)\s*\S|^is\s+(not\s+)?null$/i.test(a))
    )
      return alternatives
        .map((a) => this.stringFilter(left, a, f))
        .reduce((acc, x) => ({ k: 'binary', op: 'OR', left: acc, right: x }));
    let m = /^(not\s+)?between\s+(.+?)\s+and\s+(.+)$/is.exec(s);
    if (m)
      return {
        k: 'between',
        expr: left,
        low: this.literalText(m[2]!, f),
        high: this.literalText(m[3]!, f),
        not: !!m[1],
      };
    m = /^is\s+(not\s+)?null$/i.exec(s);
    if (m) return { k: 'isnull', expr: left, not: !!m[1] };
    m = /^(not\s+)?like\s+(.+)$/is.exec(s);
    if (m)
      return {
        k: 'like',
        expr: left,
        pattern: { k: 'literal', type: 'string', value: stripQuotes(m[2]!) },
        not: !!m[1],
      };
    // `"year > 2013"`, `"year = 1920"`: the year of a date column, as BAM writes it.
    m = /^year\s*(>=|<=|!=|<>|==|=|>|<)\s*'?(\d{4})'?$/i.exec(s);
    if (m)
      return {
        k: 'binary',
        op: OPS[m[1]!]!,
        left: {
          k: 'function',
          name: 'strftime',
          args: [{ k: 'literal', type: 'string', value: '%Y' }, left],
          distinct: false,
          star: false,
        },
        right: { k: 'literal', type: 'string', value: m[2]! },
      };
    m = /^(>=|<=|!=|<>|==|=|>|<)\s*(.*)$/s.exec(s);
    if (m) return { k: 'binary', op: OPS[m[1]!]!, left, right: this.literalText(m[2]!, f) };
    return { k: 'binary', op: '=', left, right: { k: 'literal', type: 'string', value: text } };
  }

  /** The value part of a string filter: a number, a known name or call, or a string. */
  private literalText(text: string, f: Frame): SqlExpr {
    const t = text.trim();
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return { k: 'literal', type: 'number', value: t };
    if (/^null$/i.test(t)) return { k: 'literal', type: 'null', value: 'NULL' };
    if (/^'.*'$|^".*"$/s.test(t)) return { k: 'literal', type: 'string', value: t.slice(1, -1) };
    try {
      const e = parseSrExpr(t, { names: this.index.lexerNames });
      if (this.isReference(e, f)) return this.valueExpr(e, f);
    } catch {
      // Not an expression: a bare value such as 2000-01-01.
    }
    return { k: 'literal', type: 'string', value: t };
  }

  /** True when an SR expression names a schema column, a variable or a call (not a bare value word). */
  private isReference(e: SrExpr, f?: Frame): boolean {
    if (e.kind === 'member') return true;
    if (e.kind === 'call') return true;
    if (e.kind === 'binary') return this.isReference(e.left, f) || this.isReference(e.right, f);
    if (e.kind === 'name')
      return this.env.has(e.name.toLowerCase()) || (!!f && this.namesOfFrame(e, f));
    return false;
  }

  /** A comparison value: subqueries for frames and for aggregates over columns. */
  private valueExpr(e: SrExpr, f: Frame): SqlExpr {
    // A step correlated with the outer row (see `correlated`) is read as it is, not as a table.
    const bound = e.kind === 'name' ? this.env.get(e.name.toLowerCase()) : undefined;
    const outerRow = bound && this.correlated(bound, f);
    if (outerRow && outerRow !== bound) return { k: 'subquery', query: this.toQuery(outerRow) };
    const frame = this.frameOf(e, f);
    if (frame) return { k: 'subquery', query: this.toQuery(frame) };
    if (
      e.kind === 'call' &&
      e.callee.kind === 'name' &&
      AGGREGATE_NAMES.has(e.callee.name.toLowerCase())
    ) {
      // `filter = max(total)` of a name the frame gives: the aggregate over the frame's rows
      // as they are before this filter (GPT-4o's `WHERE total > (SELECT AVG(total) FROM cte)`).
      if (this.namesOfFrame(e, f)) {
        const sub = f.groupBy.length ? this.nestGrouped(f) : clone(f);
        sub.select = [{ expr: this.expr(e, sub) }];
        return { k: 'subquery', query: this.toQuery(sub) };
      }
      // `filter = max(t.c)`: the aggregate over the whole table, as a subquery.
      const sub = emptyFrame();
      const saved = this.stepTables;
      this.stepTables = [];
      sub.select = [{ expr: this.expr(e, sub) }];
      this.stepTables = saved;
      return { k: 'subquery', query: this.toQuery(sub) };
    }
    return this.expr(e, f);
  }

  /**
   * A frame run inside EXISTS or read as a value whose filter equates a column with another
   * table's (`where(element = orders.customer_id, filter = customers.id)`), the other table read
   * nowhere else in it: that filter reads the outer query's row (a correlated subquery), so the
   * other table is not joined inside. Joined inside, the filter would only repeat the join, and
   * EXISTS would hold for every outer row (a count would count every row). The equality need not
   * be on a declared key: schemas without keys correlate the same way.
   */
  private correlated(frame: Frame, around?: Frame): Frame {
    if (frame.set || frame.source) return frame;
    // `inner.k = outer.k`: a link to a table the frame reads nowhere else, on one column or
    // several (`a.student_id = r.student_id`, `a.course_id = r.course_id`).
    const links = frame.filters.flatMap((cond) =>
      cond.k === 'binary' &&
      cond.op === '=' &&
      cond.left.k === 'column' &&
      cond.right.k === 'column' &&
      cond.left.table &&
      cond.right.table &&
      !same(cond.left.table, cond.right.table)
        ? [{ cond, inner: cond.left, table: cond.right.table }]
        : [],
    );
    const outer = new Set<string>();
    for (const { table } of links) {
      const own = links.filter((x) => same(x.table, table));
      const others = [
        ...frame.filters.filter((x) => !own.some((o) => o.cond === x)),
        ...own.map((x) => x.inner),
        ...frame.groupBy,
        ...frame.having,
        ...frame.aggregates,
        ...frame.orderBy.map((o) => o.expr),
        ...(frame.select ?? []).map((i) => i.expr),
      ];
      if (!others.some((x) => readsTable(x, table))) outer.add(table);
    }
    if (outer.size === 0) return frame;
    const out = clone(frame);
    out.tables = frame.tables.filter((t) => !outer.has(t));
    // The outer query reads an earlier result (`FROM (…) AS df2`) that passes the column on:
    // the outer row's column is that result's (`df2.CustomerId`, not `Invoice.CustomerId`).
    const source = around?.source;
    if (source?.origins) {
      for (const cond of out.filters) {
        walk(cond, (x) => {
          if (x.k !== 'column' || !x.table || !outer.has(x.table)) return true;
          if (around!.tables.some((t) => same(t, x.table!))) return true;
          const origin = [...source.origins!.values()].find(
            (o) => same(o.table, x.table!) && same(o.column, x.name),
          );
          if (origin) {
            x.table = source.name;
            x.name = origin.name;
          }
          return true;
        });
      }
    }
    return out;
  }

  /** True when `e` reads a name the frame gives (an aggregate's name, a column of its source). */
  private namesOfFrame(e: SrExpr, f: Frame): boolean {
    let found = false;
    walkSr(e, (x) => {
      if (x.kind === 'member') return false;
      if (x.kind === 'call') {
        // The callee is a function's name (`count`), not a column's.
        for (const a of x.args) if (this.namesOfFrame(a.value, f)) found = true;
        return false;
      }
      if (x.kind === 'name') {
        const lower = x.name.toLowerCase();
        if (f.named.has(lower) || f.source?.columns?.some((c) => c.toLowerCase() === lower))
          found = true;
      }
      return !found;
    });
    return found;
  }

  /** An SR scalar expression as SQL, registering the tables it reads in `f`. */
  private expr(e: SrExpr, f: Frame | undefined): SqlExpr {
    const computed = this.computedColumn(e, f);
    if (computed) return computed;
    switch (e.kind) {
      case 'number':
        return { k: 'literal', type: 'number', value: e.text };
      case 'string':
        return { k: 'literal', type: 'string', value: e.value };
      case 'star':
        return { k: 'star' };
      case 'mask':
        this.fail('the trajectory still has [MASK] in it');
        break;
      case 'name':
        return this.name(e.name, f, !!e.quote);
      case 'member':
        return this.member(e.object, e.name, f);
      case 'alias':
        return this.expr(e.expr, f);
      case 'unary': {
        const operand = this.expr(e.operand, f);
        if (e.op === 'not' || e.op === '!') return { k: 'unary', op: 'NOT', expr: operand };
        return { k: 'unary', op: e.op === '+' ? '+' : e.op === '~' ? '~' : '-', expr: operand };
      }
      case 'binary':
        return this.binary(e.op, e.left, e.right, f, (e as { parens?: true }).parens === true);
      case 'list':
        if (e.items.length === 1) return { k: 'nested', expr: this.expr(e.items[0]!, f) };
        this.fail('a list where a single value is needed');
        break;
      case 'call':
        return this.call(e, f);
      default:
        this.fail(`${describe(e)} has no SQL counterpart`);
    }
  }

  private binary(op: string, l: SrExpr, r: SrExpr, f: Frame | undefined, parens: boolean): SqlExpr {
    const left = this.expr(l, f);
    const wrap = (x: SqlExpr): SqlExpr => (parens ? { k: 'nested', expr: x } : x);
    switch (op) {
      case 'in':
      case 'not in': {
        const not = op === 'not in';
        if (r.kind === 'list')
          return wrap({ k: 'in', expr: left, list: r.items.map((x) => this.expr(x, f)), not });
        const frame = this.frameOf(r, f);
        if (frame) return wrap({ k: 'in', expr: left, query: this.toQuery(frame), not });
        this.fail('"in" needs a list or a trajectory result');
        break;
      }
      case 'like':
      case 'not like':
        return wrap({ k: 'like', expr: left, pattern: this.expr(r, f), not: op === 'not like' });
      case 'is':
      case 'is not':
        if (r.kind === 'name' && /^(null|none)$/i.test(r.name))
          return wrap({ k: 'isnull', expr: left, not: op === 'is not' });
        return wrap({ k: 'binary', op: op === 'is' ? '=' : '<>', left, right: this.expr(r, f) });
      default: {
        const sqlOp = OPS[op];
        if (!sqlOp) this.fail(`operator "${op}" has no SQL counterpart`);
        return wrap({ k: 'binary', op: sqlOp, left, right: this.expr(r, f) });
      }
    }
  }

  private name(name: string, f: Frame | undefined, quoted: boolean): SqlExpr {
    const lower = name.toLowerCase();
    if (!quoted) {
      if (lower === 'null' || lower === 'none')
        return { k: 'literal', type: 'null', value: 'NULL' };
      if (lower === 'true') return { k: 'literal', type: 'number', value: '1' };
      if (lower === 'false') return { k: 'literal', type: 'number', value: '0' };
    }
    const named = f?.named.get(lower);
    if (named) return named;
    const fromSource = f?.source?.columns?.find((c) => c.toLowerCase() === lower);
    if (fromSource) return { k: 'column', table: f!.source!.name, name: fromSource };
    // A result column of a set operation (`union(…).orderby(by = event_date)`), by its name.
    const fromSet = f?.set && outputNames(f)?.find((c) => c.toLowerCase() === lower);
    if (fromSet) return { k: 'column', name: fromSet };
    const bound = this.env.get(lower);
    if (bound) return { k: 'subquery', query: this.toQuery(this.correlated(bound, f)) };
    const tables = this.index.columns.get(lower);
    if (tables?.length) {
      const table =
        tables.find((t) => f?.tables.includes(t)) ??
        tables.find((t) => this.stepTables.includes(t)) ??
        tables[0]!;
      this.useTable(f, table);
      return { k: 'column', table, name: this.columnName(table, name) };
    }
    if (this.index.tables.has(lower)) this.fail(`"${name}" is a table where a value is needed`);
    // A column name the model made up from an alias (e.g. `count`) that nothing defines.
    this.fail(
      `"${name}" is neither a column of the schema nor a step of the trajectory${this.closeNames(name, undefined, f)}`,
    );
  }

  /**
   * ` (did you mean t.a, u.b?)` for a name the schema lacks: close columns of `table` and
   * tables that have a column of exactly that name; without a table, close columns of any
   * table, and names the trajectory defines. Empty when nothing is close.
   */
  private closeNames(name: string, table: string | undefined, f: Frame | undefined): string {
    const qualified = (column: string) =>
      (this.index.columns.get(column.toLowerCase()) ?? [])
        .filter((t) => !table || t !== table)
        .map((t) => `${t}.${this.columnName(t, column)}`);
    const columnsOf = (t: string) =>
      this.index.schema.tables.find((x) => x.name === t)?.columns.map((c) => c.name) ?? [];
    const out = table
      ? [...suggestNames(name, columnsOf(table)).map((c) => `${table}.${c}`), ...qualified(name)]
      : [
          ...suggestNames(
            name,
            this.index.schema.tables.flatMap((t) => columnsOf(t.name)),
          ).flatMap(qualified),
          ...suggestNames(name, [...this.env.keys(), ...(f?.named.keys() ?? [])]),
        ];
    return didYouMean(out);
  }

  private columnName(table: string, column: string): string {
    const t = this.index.schema.tables.find((x) => x.name === table);
    return t?.columns.find((c) => c.name.toLowerCase() === column.toLowerCase())?.name ?? column;
  }

  private member(object: SrExpr, name: string, f: Frame | undefined): SqlExpr {
    if (object.kind === 'name') {
      const lower = object.name.toLowerCase();
      const table = this.index.tables.get(lower);
      if (table && !this.env.has(lower)) {
        // A column the derived table this frame reads from selected: read it from there, by
        // the name it has there (`channel.Name` and `program.Name` passed on as two columns).
        const origin = [...(f?.source?.origins?.values() ?? [])].find(
          (o) => same(o.table, table) && same(o.column, name),
        );
        if (origin) return { k: 'column', table: f!.source!.name, name: origin.name };
        // … or the one joined beside it (`Frame.beside`).
        const besideOrigin = [...(f?.beside?.origins?.values() ?? [])].find(
          (o) => same(o.table, table) && same(o.column, name),
        );
        if (besideOrigin) return { k: 'column', table: f!.beside!.name, name: besideOrigin.name };
        // By name, unless that column is known to be another table's (`airlines.Airline`
        // beside a derived table passing on `flights.Airline`, the airline's id).
        const other = f?.source?.origins?.get(name.toLowerCase());
        const fromSource =
          other && !same(other.table, table)
            ? undefined
            : f?.source?.columns?.find((c) => c.toLowerCase() === name.toLowerCase());
        if (fromSource) return { k: 'column', table: f!.source!.name, name: fromSource };
        // A result column of a set operation by its table's name (`union(…).orderby(by =
        // drivers.surname)`): by its output name, the only one SQLite accepts there.
        const fromSet = f?.set && outputNames(f)?.find((c) => same(c, name));
        if (fromSet) return { k: 'column', name: fromSet };
        this.useTable(f, table);
        if (name === '*') return { k: 'star', table };
        const known = this.index.qualified.get(`${table}.${name}`.toLowerCase());
        if (!known)
          this.fail(`table "${table}" has no column "${name}"${this.closeNames(name, table, f)}`);
        return { k: 'column', table, name: known[1] };
      }
      const bound = this.env.get(lower);
      // `df2.col` of the result joined beside the frame's: its column.
      const beside = f?.beside && same(f.beside.name, lower) ? f.beside : undefined;
      const besideColumn = beside && beside.columns?.find((c) => same(c, name));
      if (besideColumn) return { k: 'column', table: beside.name, name: besideColumn };
      // … and `df1.col` of the one it reads, when another is joined beside it.
      const source = f?.beside && f.source && same(f.source.name, lower) ? f.source : undefined;
      const sourceColumn = source?.columns?.find((c) => same(c, name));
      if (sourceColumn) return { k: 'column', table: source!.name, name: sourceColumn };
      if (bound) {
        // `tmp_res1.col`: a column of an earlier result, as a scalar subquery.
        const sub = clone(bound);
        sub.select = [{ expr: this.name(name, sub, false) }];
        return { k: 'subquery', query: this.toQuery(sub) };
      }
    }
    const text = `${dottedText(object)}.${name}`;
    if (object.kind === 'name') {
      // `orders.order_date` in a database without `orders`: the table is what is missing.
      const close = suggestNames(object.name, [
        ...this.index.schema.tables.map((t) => t.name),
        ...this.env.keys(),
      ]);
      this.fail(
        `"${object.name}" (in ${text}) is neither a table of the schema nor a step of the trajectory${didYouMean(close)}`,
      );
    }
    this.fail(`${text} is not a column`);
  }

  private call(e: Extract<SrExpr, { kind: 'call' }>, f: Frame | undefined): SqlExpr {
    // `x.as('name')` where no select names it (a condition, an argument): the value itself.
    const renamed = aliasCall(e);
    if (renamed) {
      // `df2.as(float)`, `df2` a step's one value (`df1.count()`): that step's query itself.
      const bound =
        renamed.expr.kind === 'name' ? this.env.get(renamed.expr.name.toLowerCase()) : undefined;
      const frame = bound ? clone(bound) : this.frameOf(renamed.expr, f);
      if (!frame) return asCast(this.expr(renamed.expr, f), renamed.cast);
      const result = this.method(frame, 'as', e.args);
      if (result.kind === 'frame') return { k: 'subquery', query: this.toQuery(result.frame) };
      return result.expr;
    }
    if (e.callee.kind === 'member') {
      const frame = this.frameOf(e.callee.object, f);
      if (frame) {
        const result = this.method(frame, e.callee.name.toLowerCase(), e.args);
        if (result.kind === 'frame') return { k: 'subquery', query: this.toQuery(result.frame) };
        return result.expr;
      }
      this.fail(`"${e.callee.name}" is called on something that is not a trajectory result`);
    }
    if (e.callee.kind !== 'name') this.fail(`${describe(e.callee)} cannot be called`);
    const name = e.callee.name.toLowerCase();
    const args = e.args;
    // These read their arguments by position: a name would be dropped (or order them).
    if ((name in ARITHMETIC || name === 'concat' || name === 'between') && args.some((a) => a.name))
      this.fail(`${name}(...) with keyword arguments`);
    if (name in ARITHMETIC && args.length === 2) {
      return {
        k: 'nested',
        expr: {
          k: 'binary',
          op: ARITHMETIC[name]!,
          left: this.expr(args[0]!.value, f),
          right: this.expr(args[1]!.value, f),
        },
      };
    }
    if (name === 'concat' && args.length > 0) {
      return args
        .map((a) => this.expr(a.value, f))
        .reduce((acc, x) => ({ k: 'binary', op: '||', left: acc, right: x }));
    }
    // `cast(x as integer)`: the type written as an alias.
    const only = args.length === 1 ? args[0]!.value : undefined;
    if (name === 'cast' && only?.kind === 'alias' && castType(only.alias))
      return asCast(this.expr(only.expr, f), castType(only.alias));
    // `year(t.d)`, `month(t.d)`, `day(t.d)`: the part of a date, as a number.
    const part = DATE_PARTS[name];
    if (part && only && !args[0]!.name) {
      const text = { k: 'literal', type: 'string', value: part } as const;
      const strftime: SqlExpr = {
        k: 'function',
        name: 'strftime',
        args: [text, this.expr(only, f)],
        distinct: false,
        star: false,
      };
      return asCast(strftime, 'INTEGER');
    }
    if (name === 'cast' && args.length === 2) {
      // `cast(x, 'integer')`, `cast(x, as = 'integer')`; not `cast(x, function = 'year')`.
      const named = args[1]!.name;
      if (named && !/^(as|type|to|dtype)$/i.test(named))
        this.fail(`the ${named} argument of cast is not understood`);
      const type = args[1]!.value;
      const typeName =
        type.kind === 'name' ? type.name : type.kind === 'string' ? type.value : undefined;
      if (!typeName) this.fail('cast needs a type name');
      return { k: 'cast', expr: this.expr(args[0]!.value, f), type: typeName.toUpperCase() };
    }
    if (name === 'case' && args.length && args.every((a) => a.name))
      return this.keywordCase(args, f);
    if (name === 'case') {
      const whens: { cond: SqlExpr; result: SqlExpr }[] = [];
      let otherwise: SqlExpr | undefined;
      for (const a of args) {
        const v = a.value;
        if (
          v.kind === 'call' &&
          v.callee.kind === 'name' &&
          v.callee.name.toLowerCase() === 'when' &&
          v.args.length === 2
        ) {
          whens.push({
            cond: this.expr(v.args[0]!.value, f),
            result: this.expr(v.args[1]!.value, f),
          });
        } else if (
          v.kind === 'call' &&
          v.callee.kind === 'name' &&
          /^(otherwise|else_?)$/.test(v.callee.name.toLowerCase()) &&
          v.args.length === 1
        ) {
          otherwise = this.expr(v.args[0]!.value, f);
        } else this.fail('case(...) takes when(condition, value) and otherwise(value)');
      }
      if (!whens.length) this.fail('case(...) has no when(...)');
      const out: SqlExpr = { k: 'case', whens };
      if (otherwise) out.else = otherwise;
      return out;
    }
    if (name === 'between' && args.length === 3) {
      const [x, lo, hi] = args.map((a) => this.expr(a.value, f));
      return { k: 'between', expr: x!, low: lo!, high: hi!, not: false };
    }
    if (name === 'exists' && args.length === 1) {
      // A named result is read as it is (not through a derived table), so that it can refer
      // to the outer query's row.
      const arg = args[0]!.value;
      const frame =
        (arg.kind === 'name' ? this.env.get(arg.name.toLowerCase()) : undefined) ??
        this.frameOf(arg, f);
      if (!frame) this.fail('exists(...) needs a trajectory result');
      return { k: 'exists', query: this.toQuery(this.correlated(frame, f)), not: false };
    }
    const windowed = this.windowCall(name, args, f);
    if (windowed) return windowed;
    if (AGGREGATE_NAMES.has(name) || name === 'mean' || name === 'average') {
      const fn = name === 'mean' || name === 'average' ? 'AVG' : name.toUpperCase();
      return this.aggregateCall(fn, args, f ?? emptyFrame());
    }
    if (FUNCTIONS.has(name)) {
      if (args.some((a) => a.name)) this.fail(`${name}(...) with keyword arguments`);
      return {
        k: 'function',
        name: name.toUpperCase(),
        args: args.map((a) => this.expr(a.value, f)),
        distinct: false,
        star: false,
      };
    }
    this.fail(`the function "${e.callee.name}" has no SQL counterpart here`);
  }

  /**
   * `case(element = t.c, when = '+', then = 'yes', when = '-', then = 'no', else = '?')`: a
   * CASE on one value (`element`; without it each `when` is a condition).
   */
  private keywordCase(args: SrArg[], f: Frame | undefined): SqlExpr {
    const element = args.find((a) => /^(element|value|expr)$/i.test(a.name!));
    const left = element ? this.expr(element.value, f) : undefined;
    const whens: { cond: SqlExpr; result: SqlExpr }[] = [];
    let pending: SqlExpr | undefined;
    let otherwise: SqlExpr | undefined;
    for (const a of args) {
      if (a === element) continue;
      const key = a.name!.toLowerCase();
      const v = this.expr(a.value, f);
      if (key === 'when' && !pending) pending = left ? { k: 'binary', op: '=', left, right: v } : v;
      else if (key === 'then' && pending) {
        whens.push({ cond: pending, result: v });
        pending = undefined;
      } else if (/^(else|otherwise|default)$/.test(key) && !pending) otherwise = v;
      else this.fail('case(...) takes when = …, then = … pairs and else = …');
    }
    if (!whens.length || pending)
      this.fail('case(...) takes when = …, then = … pairs and else = …');
    const out: SqlExpr = { k: 'case', whens };
    if (otherwise) out.else = otherwise;
    return out;
  }

  /** `rank(partition = t.k, by = t.c, desc)`: a window function (`RANK() OVER (…)`). */
  private windowCall(name: string, args: SrArg[], f: Frame | undefined): SqlExpr | undefined {
    // `partition`/`by` (or `partition_by`/`order_by`) and a direction, bare or as `order = asc`.
    const direction = (v: SrExpr) => v.kind === 'name' && /^(desc|asc)$/i.test(v.name);
    const isWindowArg = (a: SrArg) =>
      a.name
        ? /^(partition|partition_by|by|order_by|over)$/i.test(a.name) ||
          (/^order$/i.test(a.name) && direction(a.value))
        : direction(a.value);
    const extra = args.filter(isWindowArg);
    // A direction alone (`count(distinct(x), desc)`, an orderby's direction misplaced) makes
    // no window: that would be `OVER ()`, every row's value the whole table's.
    if (!extra.some((a) => a.name) || !(WINDOW_FUNCTIONS.has(name) || AGGREGATE_NAMES.has(name)))
      return undefined;
    const over = extra.find((a) => a.name?.toLowerCase() === 'over');
    if (over) this.fail(`the over argument of ${name} is not understood`);
    const rest = args.filter((a) => !isWindowArg(a));
    const unread = !AGGREGATE_NAMES.has(name) && rest.find((a) => a.name);
    if (unread) this.fail(`the ${unread.name} argument of ${name} is not understood`);
    const base = AGGREGATE_NAMES.has(name)
      ? this.aggregateCall(name.toUpperCase(), rest, f ?? emptyFrame())
      : ({
          k: 'function',
          name: name.toUpperCase(),
          args: rest.map((a) => this.expr(a.value, f)),
          distinct: false,
          star: false,
        } satisfies SqlExpr);
    if (base.k !== 'function') return undefined;
    const get = (...names: string[]) =>
      extra.find((a) => a.name && names.includes(a.name.toLowerCase()))?.value;
    const list = (v: SrExpr | undefined) => (!v ? [] : v.kind === 'list' ? v.items : [v]);
    const desc = extra.some(
      (a) =>
        (!a.name || a.name.toLowerCase() === 'order') &&
        a.value.kind === 'name' &&
        /^desc$/i.test(a.value.name),
    );
    return {
      ...base,
      over: {
        partitionBy: list(get('partition', 'partition_by')).map((x) => this.expr(x, f)),
        orderBy: list(get('by', 'order_by')).map((x) =>
          desc ? { expr: this.expr(x, f), desc } : { expr: this.expr(x, f) },
        ),
      },
    };
  }

  /** The SQL query a frame stands for. */
  toQuery(frame: Frame): SqlQuery {
    if (frame.conjoined) return this.toQuery(frame.conjoined);
    if (frame.set) {
      const left = this.toQuery(frame.set.left);
      const right = this.toQuery(frame.set.right);
      const body: SqlBody = {
        k: 'set',
        op: frame.set.op,
        all: frame.set.all,
        left: asBody(left),
        right: asBody(right),
      };
      const q: SqlQuery = { with: [], body, orderBy: frame.orderBy };
      if (frame.select || frame.distinct || frame.filters.length) {
        const outer: SqlSelect = {
          k: 'select',
          distinct: frame.distinct,
          items: frame.select ?? [{ expr: { k: 'star' } }],
          from: { k: 'derived', query: { with: [], body, orderBy: [] }, alias: 'combined' },
          joins: [],
          groupBy: [],
        };
        if (frame.filters.length) outer.where = and(frame.filters);
        return withLimit({ with: [], body: outer, orderBy: frame.orderBy }, frame);
      }
      return withLimit(q, frame);
    }
    // A frame that names no table reads the tables of its step (`df.count()` beside
    // `df1.count()`), unless all it selects are subqueries: then it needs no FROM at all.
    const needsRows =
      (frame.select ?? []).some((i) => readsRows(i.expr)) ||
      !frame.select ||
      frame.filters.length > 0;
    const own = frame.tables.length ? [...frame.tables, ...this.widening(frame)] : [];
    const tables = own.length ? [...new Set(own)] : needsRows ? this.stepTables : [];
    const select: SqlSelect = {
      k: 'select',
      distinct: frame.distinct,
      items: frame.select ?? this.defaultItems(frame),
      joins: [],
      groupBy: frame.groupBy,
    };
    if (frame.source) {
      select.from = { k: 'derived', query: frame.source.query, alias: frame.source.name };
      // Schema tables read beside an earlier result (`tmp_res1.select(drivers.forename)`):
      // joined to it through a key column it passes through.
      const joined = new Set<string>();
      for (const t of frame.tables) {
        if (joined.has(t)) continue;
        for (const j of this.joinToSource(frame.source, t)) {
          if (j.ref.k === 'table' && joined.has(j.ref.name)) continue;
          if (j.ref.k === 'table') joined.add(j.ref.name);
          select.joins.push(j);
        }
      }
      this.outerToSource(select, frame.source);
      if (frame.beside) {
        const join: Join = {
          kind: frame.beside.kind ?? 'INNER',
          ref: { k: 'derived', query: frame.beside.query, alias: frame.beside.name },
          on: frame.beside.on,
        };
        if (frame.beside.kind) select.joins.push(join);
        else select.joins.unshift(join);
      }
    } else if (tables.length > 0) {
      const all = frame === this.result ? [...tables, ...this.rejoined(tables)] : tables;
      const tree = joinTree(
        this.index.schema,
        outerFirst(this.inSqlOrder(all), this.joinHints.preferred),
        this.joinHints,
      );
      select.from = tree.from;
      select.joins = tree.joins.map((j) => {
        const on =
          j.kind === 'LEFT' && j.ref.k === 'table' && this.leftOn.get(j.ref.name.toLowerCase());
        return on ? { ...j, on } : j;
      });
    }
    const filtersLeft = this.joinOnEither(select, frame.filters);
    // A filter that says what a join's condition says (the equality a join of tables no key
    // reaches was made of) is said once, in the join; for a LEFT JOIN on the user's key, as
    // the join it states, not as a filter that would drop the rows the join keeps.
    const ons = new Set(
      select.joins.flatMap((j) =>
        (j.kind === 'INNER' || j.kind === 'LEFT') && j.on ? [printExpr(j.on)] : [],
      ),
    );
    const restated = (e: SqlExpr) =>
      e.k === 'binary' &&
      e.op === '=' &&
      (ons.has(printExpr(e)) || ons.has(printExpr({ ...e, left: e.right, right: e.left })));
    const filters = filtersLeft.filter((e) => !restated(e));
    if (filters.length) select.where = and(filters);
    if (frame.having.length) select.having = and(frame.having);
    return withLimit({ with: [], body: select, orderBy: frame.orderBy }, frame);
  }

  /**
   * `where(element = m.winner_id, filter = w.id).orwhere(element = m.loser_id, filter = w.id)`:
   * rows of two tables that meet on either pair of columns, as `JOIN w ON m.winner_id = w.id OR
   * m.loser_id = w.id` says (or a column in a list of the other's: `p.id IN (m.home_player_1,
   * …)`); joined on one key of them and filtered, only that key's rows would come back. Such a
   * filter becomes the ON of the join of those two tables (where the tree joins them directly
   * on one column of each); the filters left are returned.
   */
  private joinOnEither(select: SqlSelect, filters: readonly SqlExpr[]): SqlExpr[] {
    const tableOf = (e: SqlExpr) => (e.k === 'column' ? e.table?.toLowerCase() : undefined);
    const pairOf = (e: SqlExpr): string | undefined => {
      const u = e.k === 'nested' ? e.expr : e;
      // `p.player_api_id IN (m.home_player_1, m.home_player_2, …)`: the same, in a list.
      if (u.k === 'in' && !u.not && u.list && u.list.length > 1) {
        const others = new Set(u.list.map(tableOf));
        const [a, b] = [tableOf(u.expr), [...others][0]];
        return others.size === 1 && a && b && a !== b ? [a, b].sort().join('\u0000') : undefined;
      }
      if (u.k !== 'binary' || (u.op !== '=' && u.op !== '==')) return undefined;
      const [a, b] = [tableOf(u.left), tableOf(u.right)];
      return a && b && a !== b ? [a, b].sort().join('\u0000') : undefined;
    };
    // `TRIM(f.SourceAirport) = a.AirportCode` (flight_2 stores codes with a leading space):
    // the columns a join on the key compares, each inside an expression of its own. That
    // comparison is the join's condition; the key's would drop the rows it matches.
    const loneColumn = (e: SqlExpr): ColumnExpr | undefined => {
      const cols = plainColumns(e);
      return cols?.length === 1 && cols[0]!.table ? cols[0] : undefined;
    };
    const columnKey = (c: ColumnExpr) => `${c.table}.${c.name}`.toLowerCase();
    const columnsOf = (e: SqlExpr) => {
      const u = e.k === 'nested' ? e.expr : e;
      if (u.k !== 'binary' || (u.op !== '=' && u.op !== '==')) return undefined;
      const [l, r] = [loneColumn(u.left), loneColumn(u.right)];
      return l && r && !same(l.table!, r.table!) ? [columnKey(l), columnKey(r)].sort() : undefined;
    };
    const out: SqlExpr[] = [];
    for (const f of filters) {
      const u = f.k === 'nested' ? f.expr : f;
      const expressed =
        u.k === 'binary' && (u.left.k !== 'column' || u.right.k !== 'column')
          ? columnsOf(u)
          : undefined;
      const keyJoin = expressed
        ? select.joins.find((x) => {
            const on = x.kind === 'INNER' && x.on ? columnsOf(x.on) : undefined;
            return on?.[0] === expressed[0] && on?.[1] === expressed[1];
          })
        : undefined;
      if (keyJoin) {
        keyJoin.on = u;
        continue;
      }
      const parts = disjuncts(f);
      const pairs = new Set(parts.map(pairOf));
      const either = parts.length > 1 || (f.k === 'in' && pairs.size === 1);
      const pair = pairs.size === 1 && either ? [...pairs][0] : undefined;
      const j = pair
        ? select.joins.find((x) => x.kind === 'INNER' && x.on && pairOf(x.on) === pair)
        : undefined;
      if (j) j.on = f;
      else out.push(f);
    }
    return out;
  }

  /** `tables` with the one the corrected SQL read first (`tableOrder`) first. */
  private inSqlOrder(tables: readonly string[]): string[] {
    const rank = (t: string) => {
      const i = this.tableOrder.findIndex((o) => o.toLowerCase() === t.toLowerCase());
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    let first = 0;
    tables.forEach((t, i) => {
      if (rank(t) < rank(tables[first]!)) first = i;
    });
    return [tables[first]!, ...tables.filter((_, i) => i !== first)];
  }

  /**
   * The `rejoin` tables not among `tables` that the join keys link to one of them, directly or
   * through other `rejoin` tables (`Customers ← Customer_Policies ← Claims`).
   */
  private rejoined(tables: readonly string[]): string[] {
    const out: string[] = [];
    const has = (t: string) => [...tables, ...out].some((x) => same(x, t));
    for (let added = true; added; ) {
      added = false;
      for (const t of this.rejoin) {
        if (has(t)) continue;
        const linked = this.joinHints.preferred.some(
          (k) =>
            (same(k.fromTable, t) && has(k.toTable)) || (same(k.toTable, t) && has(k.fromTable)),
        );
        const table = this.index.schema.tables.find((x) => same(x.name, t));
        if (linked && table) {
          out.push(table.name);
          added = true;
        }
      }
    }
    return out;
  }

  /**
   * One table read beside an earlier result, joined to it on a key the SQL joined by a LEFT
   * JOIN (`FROM Album al LEFT JOIN agg ON agg.AlbumId = al.AlbumId`, agg passing on
   * `Track.AlbumId`): a LEFT JOIN again, from the side whose rows it kept (the table, with
   * the result's columns NULL where it has no row: counts of zero under COALESCE).
   */
  private outerToSource(select: SqlSelect, source: NonNullable<Frame['source']>): void {
    const [j] = select.joins;
    if (select.joins.length !== 1 || j?.kind !== 'INNER' || j.ref.k !== 'table' || !j.on) return;
    const t = j.ref.name;
    const on = j.on;
    if (on.k !== 'binary' || on.op !== '=' || on.left.k !== 'column' || on.right.k !== 'column')
      return;
    const [mine, theirs] = same(on.left.table ?? '', source.name)
      ? [on.left, on.right]
      : [on.right, on.left];
    if (!same(mine.table ?? '', source.name) || !same(theirs.table ?? '', t)) return;
    const origin = source.origins?.get(mine.name.toLowerCase());
    if (!origin) return;
    const key = this.joinHints.preferred.find(
      (k) =>
        k.outer &&
        ((same(k.fromTable, t) &&
          same(k.fromColumn, theirs.name) &&
          same(k.toTable, origin.table) &&
          same(k.toColumn, origin.column)) ||
          (same(k.toTable, t) &&
            same(k.toColumn, theirs.name) &&
            same(k.fromTable, origin.table) &&
            same(k.fromColumn, origin.column))),
    );
    if (!key) return;
    if (same(key.fromTable, t)) {
      // The table's rows are kept: it comes first, the result joined to it.
      select.joins = [{ kind: 'LEFT', ref: select.from!, on }];
      select.from = j.ref;
    } else select.joins = [{ ...j, kind: 'LEFT' }];
  }

  /** The joins that reach schema table `t` from a derived table, through a column it passes on. */
  private joinToSource(source: NonNullable<Frame['source']>, t: string) {
    const origins = [...(source.origins ?? new Map())];
    // A column passed on that references t (`Problems.reported_by_staff_id` for Staff): joined on
    // it directly, not on another key of its table (Problems.closure_authorised_by_staff_id).
    for (const [, origin] of origins) {
      const key = [...this.index.schema.foreignKeys, ...this.joinHints.preferred].find(
        (k) =>
          same(k.fromTable, origin.table) &&
          same(k.fromColumn, origin.column) &&
          same(k.toTable, t),
      );
      if (!key) continue;
      const on: SqlExpr = {
        k: 'binary',
        op: '=',
        left: { k: 'column', table: source.name, name: origin.name },
        right: { k: 'column', table: t, name: key.toColumn },
      };
      const join: Join = { kind: 'INNER', ref: { k: 'table', name: t }, on };
      return [join];
    }
    let best: Join[] | undefined;
    for (const [, origin] of origins) {
      if (origin.table === t) continue;
      let tree: ReturnType<typeof joinTree>;
      try {
        tree = joinTree(this.index.schema, [origin.table, t], this.joinHints);
      } catch {
        continue;
      }
      // Every use of the origin table must be a column the derived table passes on.
      let ok = true;
      const rewrite = (e: SqlExpr): SqlExpr => {
        if (e.k === 'column' && e.table === origin.table) {
          const passed = origins.find(
            ([, o]) => o.table === origin.table && o.column.toLowerCase() === e.name.toLowerCase(),
          );
          if (!passed) ok = false;
          return passed ? { k: 'column', table: source.name, name: passed[1].name } : e;
        }
        if (e.k === 'binary') return { ...e, left: rewrite(e.left), right: rewrite(e.right) };
        return e;
      };
      const joins = tree.joins.map((j) => ({ ...j, on: j.on && rewrite(j.on) }));
      if (ok && (!best || joins.length < best.length)) best = joins;
    }
    if (best) return best;
    // Else through a table whose column it passes on, joined on that column (`JOIN legalities
    // ON legalities.format = df4.format`), then along keys from there.
    for (const [, origin] of origins) {
      const on = (o: typeof origin): SqlExpr => ({
        k: 'binary',
        op: '=',
        left: { k: 'column', table: o.table, name: o.column },
        right: { k: 'column', table: source.name, name: o.name },
      });
      // The table itself read beside its own grouping (`groupby(t.a, t.b)`, then each row of
      // t beside its group): on every column of t passed on, the whole group key.
      const passed =
        origin.table === t ? origins.map(([, o]) => o).filter((o) => o.table === t) : [origin];
      const self: Join = {
        kind: 'INNER',
        ref: { k: 'table', name: origin.table },
        on: passed.map(on).reduce((acc, x) => ({ k: 'binary', op: 'AND', left: acc, right: x })),
      };
      let joins: Join[];
      try {
        joins =
          origin.table === t
            ? [self]
            : [self, ...joinTree(this.index.schema, [origin.table, t], this.joinHints).joins];
      } catch {
        continue;
      }
      if (!best || joins.length < best.length) best = joins;
    }
    if (!best) this.fail(`no key joins ${t} to the earlier result it is read with`);
    return best;
  }

  private defaultItems(frame: Frame): SelectItem[] {
    if (frame.groupBy.length)
      return [...frame.groupBy, ...frame.aggregates].map((expr) => ({ expr }));
    // `df.where(…).agg(max(t.a))` without a grouping: the aggregates over all the rows.
    if (frame.aggregates.length) return frame.aggregates.map((expr) => ({ expr }));
    return [{ expr: { k: 'star' } }];
  }
}

/**
 * A finished frame read as a table: an aggregate selected by the name the frame gave it
 * (`select(…, injury_count)`) goes by that name, and two columns of one name (`channel.Name`,
 * `program.Name`) each get one of their own, `table_column`.
 */
function namedAsTable(f: Frame): Frame {
  if (!f.select) return f;
  const names = new Map([...f.named].map(([name, expr]) => [expr, name]));
  const count = new Map<string, number>();
  const nameOf = (i: SelectItem) => i.alias ?? (i.expr.k === 'column' ? i.expr.name : undefined);
  for (const i of f.select) {
    const n = nameOf(i)?.toLowerCase();
    if (n) count.set(n, (count.get(n) ?? 0) + 1);
  }
  const select = f.select.map((i) => {
    if (i.alias) return i;
    const named = names.get(i.expr);
    if (named && i.expr.k !== 'column') return { ...i, alias: named };
    if (i.expr.k === 'column' && i.expr.table && count.get(i.expr.name.toLowerCase())! > 1)
      return { ...i, alias: `${i.expr.table}_${i.expr.name}` };
    return i;
  });
  return select.some((i, n) => i !== f.select![n]) ? { ...f, select } : f;
}

/**
 * True when a condition on a grouped frame reads both one of the frame's named aggregates and a
 * row's column that is not a group key (outside aggregates): rows compared with their group.
 */
function readsRowsBesideGroup(cond: SqlExpr, f: Frame): boolean {
  const named = new Set(f.named.values());
  const keys = new Set(f.groupBy.map((e) => JSON.stringify(e)));
  let readsNamed = false;
  let readsRow = false;
  walk(cond, (x) => {
    if (named.has(x)) {
      if (f.aggregates.includes(x)) readsNamed = true;
      return false;
    }
    if (x.k === 'subquery' || keys.has(JSON.stringify(x))) return false;
    if (isAggregate(x)) return false;
    if (x.k === 'column') readsRow = true;
    return true;
  });
  return readsNamed && readsRow;
}

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** True when `e` reads a column (or `*`) of `table`. */
function readsTable(e: SqlExpr, table: string): boolean {
  let found = false;
  walk(e, (x) => {
    if ((x.k === 'column' || x.k === 'star') && same(x.table, table)) found = true;
    return !found;
  });
  return found;
}

/** True when an expression has an aggregate call (outside subqueries). */
function hasAggregate(e: SqlExpr): boolean {
  let found = false;
  mapAggregates(e, (agg) => {
    found = true;
    return agg;
  });
  return found;
}

/** A name for a computed column: an aggregate's and its column's (`sum_x`), else `computed`. */
function computedName(e: SqlExpr): string {
  if (e.k !== 'function' || !isAggregate(e)) return 'computed';
  let column: string | undefined;
  walk(e, (x) => {
    if (x.k === 'column' && !column) column = x.name;
    return !column;
  });
  return `${e.name.toLowerCase()}_${column ?? 'all'}`.replace(/[^A-Za-z0-9_]/g, '_');
}

/** True when any expression of a frame has an aggregate inside an aggregate. */
function frameHasNestedAggregate(f: Frame): boolean {
  const exprs = [
    ...f.aggregates,
    ...f.having,
    ...f.orderBy.map((o) => o.expr),
    ...(f.select ?? []).map((i) => i.expr),
  ];
  return exprs.some(hasNestedAggregate);
}

/** True when an aggregate call has another aggregate call inside it (invalid in one SELECT). */
function hasNestedAggregate(e: SqlExpr): boolean {
  let found = false;
  mapAggregates(e, (agg) => {
    if (agg.k === 'function')
      mapAggregates({ k: 'nested', expr: { ...agg, name: 'f' } }, (inner) => {
        found = true;
        return inner;
      });
    return agg;
  });
  return found;
}

/**
 * True when a string filter is read back as the plain value it says (`'Alameda'`), not as an
 * operator, range, pattern or null test (`'<humor>'` would read as `< 'humor>'`). An operator
 * alone (`'='`, a bond type) is a value.
 */
export function filterTextIsValue(text: string): boolean {
  const s = text.trim();
  if (OPERATOR_ALONE.test(s)) return true;
  return (
    !/^(>=|<=|!=|<>|==|=|>|<)/.test(s) &&
    !/^(not\s+)?(between|like)\s/i.test(s) &&
    !/^is\s+(not\s+)?null$/i.test(s) &&
    !/^year\s*(>=|<=|!=|<>|==|=|>|<)/i.test(s)
  );
}

/** The expression with each aggregate call (outside subqueries) replaced by `f(call)`. */
function mapAggregates(e: SqlExpr, f: (agg: SqlExpr) => SqlExpr): SqlExpr {
  const map = (x: SqlExpr): SqlExpr => mapAggregates(x, f);
  switch (e.k) {
    case 'function':
      if (isAggregate(e) && !e.over) return f(e);
      return { ...e, args: e.args.map(map) };
    case 'binary':
      return { ...e, left: map(e.left), right: map(e.right) };
    case 'unary':
    case 'nested':
    case 'cast':
    case 'isnull':
      return { ...e, expr: map(e.expr) };
    case 'case':
      return {
        ...e,
        operand: e.operand && map(e.operand),
        whens: e.whens.map((w) => ({ cond: map(w.cond), result: map(w.result) })),
        else: e.else && map(e.else),
      };
    case 'in':
      return { ...e, expr: map(e.expr), list: e.list?.map(map) };
    case 'between':
      return { ...e, expr: map(e.expr), low: map(e.low), high: map(e.high) };
    case 'like':
      return { ...e, expr: map(e.expr), pattern: map(e.pattern) };
    default:
      return e;
  }
}

/** True when an expression reads table rows (a column or an aggregate outside subqueries). */
function readsRows(e: SqlExpr): boolean {
  let reads = false;
  walk(e, (x) => {
    if (x.k === 'column' || x.k === 'star' || isAggregate(x)) reads = true;
    return !reads;
  });
  return reads;
}

/** Names of a frame's result columns (aliases, column names), as a derived table exposes them. */
function outputNames(f: Frame): string[] | undefined {
  if (f.set) return outputNames(f.set.left);
  // An earlier result read as it is: its columns.
  if (!f.select && !f.groupBy.length && !f.aggregates.length && f.source) return f.source.columns;
  const items =
    f.select ?? [...f.groupBy, ...f.aggregates].map((expr) => ({ expr, alias: undefined }));
  if (!items.length) return undefined;
  const names: string[] = [];
  for (const item of items) {
    if (item.alias) names.push(item.alias);
    else if (item.expr.k === 'column') names.push(item.expr.name);
  }
  for (const [name, expr] of f.named) if (items.some((i) => i.expr === expr)) names.push(name);
  return names;
}

/** Result columns of a frame that pass a schema column through (see Frame.source.origins). */
function outputOrigins(f: Frame): Map<string, { table: string; column: string; name: string }> {
  if (f.set) return outputOrigins(f.set.left);
  if (!f.select && !f.groupBy.length && !f.aggregates.length && f.source?.origins)
    return f.source.origins;
  const out = new Map<string, { table: string; column: string; name: string }>();
  const items = f.select ?? f.groupBy.map((expr) => ({ expr, alias: undefined }));
  for (const item of items) {
    const e = item.expr.k === 'nested' ? item.expr.expr : item.expr;
    if (e.k !== 'column' || !e.table) continue;
    const name = item.alias ?? e.name;
    // A column of the derived table the frame reads passes on that table's origin.
    const through =
      f.source && e.table === f.source.name
        ? f.source.origins?.get(e.name.toLowerCase())
        : { table: e.table, column: e.name };
    if (through && !out.has(name.toLowerCase()))
      out.set(name.toLowerCase(), { table: through.table, column: through.column, name });
  }
  return out;
}

function withLimit(q: SqlQuery, frame: Frame): SqlQuery {
  if (frame.limit) q.limit = frame.limit;
  if (frame.offset) q.offset = frame.offset;
  return q;
}

function asBody(q: SqlQuery): SqlBody {
  if (q.orderBy.length || q.limit || q.with.length) return { k: 'query', query: q };
  return q.body;
}

function and(conds: SqlExpr[]): SqlExpr {
  return conds.reduce((acc, c) => ({ k: 'binary', op: 'AND', left: acc, right: c }));
}

function countStar(): SqlExpr {
  return { k: 'function', name: 'COUNT', args: [], distinct: false, star: true };
}

function oneRow(): SqlQuery {
  return {
    with: [],
    body: {
      k: 'select',
      distinct: false,
      items: [{ expr: { k: 'literal', type: 'number', value: '1' } }],
      joins: [],
      groupBy: [],
    },
    orderBy: [],
  };
}

function stripQuotes(s: string): string {
  const t = s.trim();
  return /^'.*'$|^".*"$/s.test(t) ? t.slice(1, -1) : t;
}

/**
 * `a.union(b)` where both extend the same frame only by filters (BAM's way of writing OR):
 * one frame whose extra filters are OR-ed. Undefined when they differ otherwise.
 */
function mergeSiblings(a: Frame, b: Frame): Frame | undefined {
  const plain = (f: Frame) =>
    !f.select && !f.groupBy.length && !f.set && !f.orderBy.length && !f.limit && !f.source;
  if (!plain(a) || !plain(b)) return undefined;
  let common = 0;
  while (
    common < a.filters.length &&
    common < b.filters.length &&
    a.filters[common] === b.filters[common]
  )
    common++;
  const restA = a.filters.slice(common);
  const restB = b.filters.slice(common);
  if (!restA.length || !restB.length) return undefined;
  const merged = clone(a);
  merged.tables = [...new Set([...a.tables, ...b.tables])];
  merged.filters = [
    ...a.filters.slice(0, common),
    { k: 'nested', expr: { k: 'binary', op: 'OR', left: nestAnd(restA), right: nestAnd(restB) } },
  ];
  return merged;
}

/**
 * `df1.intersect(df2)` of two filters on different tables (`atom.element = 'cl'`, `molecule.label
 * = '-'`), then counted: the rows of the joined tables that pass both (or, for except, the
 * first and not the second). As SQL's INTERSECT the two sides would not even have the same
 * columns. Undefined when the sides are not such plain filters.
 */
function conjoinFilters(a: Frame, b: Frame, except: boolean): Frame | undefined {
  const plain = (f: Frame) =>
    !f.select && !f.groupBy.length && !f.set && !f.orderBy.length && !f.limit && !f.source;
  if (!plain(a) || !plain(b) || !a.filters.length || !b.filters.length) return undefined;
  const key = (f: Frame) => [...new Set(f.tables.map((t) => t.toLowerCase()))].sort().join(' ');
  if (key(a) === key(b)) return undefined;
  const own = b.filters.filter((c) => !a.filters.includes(c));
  if (!own.length) return undefined;
  const merged = clone(a);
  merged.tables = [...new Set([...a.tables, ...b.tables])];
  merged.filters = [
    ...a.filters,
    ...(except ? [{ k: 'unary', op: 'NOT', expr: nestAnd(own) } as const] : own),
  ];
  return merged;
}

function nestAnd(conds: SqlExpr[]): SqlExpr {
  return conds.length === 1 ? conds[0]! : { k: 'nested', expr: and(conds) };
}

/**
 * `x.as('name')`, `x.alias(name)`, `x.label('name')`: the value and the name it is given;
 * `x.as(float)`, `x.cast('double')` and `x.astype(int)` give it a type instead (`cast`).
 */
function aliasCall(e: SrExpr): { expr: SrExpr; alias: string; cast?: string } | undefined {
  if (e.kind !== 'call' || e.callee.kind !== 'member' || e.args.length !== 1) return undefined;
  const converts = /^(cast|astype)$/i.test(e.callee.name);
  if (!/^(as|alias|label)$/i.test(e.callee.name) && !converts) return undefined;
  if (e.args[0]!.name) return undefined;
  const v = e.args[0]!.value;
  const alias = v.kind === 'name' ? v.name : v.kind === 'string' ? v.value : undefined;
  if (!alias) return undefined;
  const cast = v.kind === 'name' || converts ? castType(alias) : undefined;
  if (converts && !cast) return undefined;
  return cast ? { expr: e.callee.object, alias, cast } : { expr: e.callee.object, alias };
}

const DATE_PARTS: Record<string, string> = { year: '%Y', month: '%m', day: '%d' };

/** The aggregate a pandas-style name (`'sum'`, `'mean'`, `'nunique'`) stands for, of `column`. */
function namedAggregate(name: string, column: SqlExpr): SqlExpr | undefined {
  const lower = name.toLowerCase();
  const fn = { sum: 'SUM', max: 'MAX', min: 'MIN', avg: 'AVG', mean: 'AVG', count: 'COUNT' }[lower];
  if (lower === 'nunique')
    return { k: 'function', name: 'COUNT', args: [column], distinct: true, star: false };
  return fn ? { k: 'function', name: fn, args: [column], distinct: false, star: false } : undefined;
}

/** The SQL type a name such as `float` or `int` stands for, when it is one. */
function castType(name: string): string | undefined {
  const m = /^(float|real|double|integer|int|text|numeric|decimal)$/i.exec(name);
  if (!m) return undefined;
  return /^(float|double)$/i.test(m[1]!) ? 'REAL' : m[1]!.toUpperCase();
}

function asCast(expr: SqlExpr, type: string | undefined): SqlExpr {
  return type ? { k: 'cast', expr, type } : expr;
}

/** ` (did you mean a, b, c?)` for the first three distinct `names`, or '' without any. */
function didYouMean(names: readonly string[]): string {
  const unique = [...new Set(names)].slice(0, 3);
  return unique.length ? ` (did you mean ${unique.join(', ')}?)` : '';
}

/** `a.b.c` for a chain of names and members, else what `describe` says. */
function dottedText(e: SrExpr): string {
  if (e.kind === 'name') return e.name;
  if (e.kind === 'member') return `${dottedText(e.object)}.${e.name}`;
  return describe(e);
}

function describe(e: SrExpr): string {
  switch (e.kind) {
    case 'name':
      return `"${e.name}"`;
    case 'call':
      return 'a call';
    case 'raw':
      return `"${e.text}"`;
    default:
      return `a ${e.kind}`;
  }
}

/**
 * Visits an SR expression and its parts (calls, arguments, operands, list items), parents
 * first; a visit that returns false skips the parts of what it visited.
 */
function walkSr(e: SrExpr, visit: (x: SrExpr) => unknown): void {
  if (visit(e) === false) return;
  switch (e.kind) {
    case 'member':
      walkSr(e.object, visit);
      return;
    case 'call':
      walkSr(e.callee, visit);
      for (const a of e.args) walkSr(a.value, visit);
      return;
    case 'binary':
      walkSr(e.left, visit);
      walkSr(e.right, visit);
      return;
    case 'unary':
      walkSr(e.operand, visit);
      return;
    case 'alias':
      walkSr(e.expr, visit);
      return;
    case 'list':
      for (const item of e.items) walkSr(item, visit);
      return;
    default:
      return;
  }
}

/**
 * The named steps of `program` the result (the last `res`, else the last step) does not read,
 * directly or through other steps: `df2 (line 2)`. A step is read where a later step names it,
 * also inside a string (`filter = '> avg_diff'`).
 */
export function unusedSteps(program: SrProgram): string[] {
  const statements = program.statements;
  const refs = statements.map((st) => {
    const names = new Set<string>();
    const words = (text: string) => {
      for (const w of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) names.add(w.toLowerCase());
    };
    const visit = (e: SrExpr): void => {
      if (e.kind === 'name') names.add(e.name.toLowerCase());
      else if (e.kind === 'string') words(e.value);
      else if (e.kind === 'raw') words(e.text);
      else if (e.kind === 'dict')
        for (const entry of e.entries) {
          walkSr(entry.key, visit);
          walkSr(entry.value, visit);
        }
      else if (e.kind === 'lambda') walkSr(e.body, visit);
    };
    walkSr(st.value, visit);
    return names;
  });
  const defines = (i: number, name: string) =>
    statements[i]!.targets.some((t) => t.toLowerCase() === name);
  let result = statements.length - 1;
  for (let i = statements.length - 1; i >= 0; i--)
    if (defines(i, 'res')) {
      result = i;
      break;
    }
  const needed = new Set<number>(result >= 0 ? [result] : []);
  for (let i = result; i >= 0; i--) {
    if (!needed.has(i)) continue;
    for (const name of refs[i]!) {
      for (let j = i - 1; j >= 0; j--)
        if (defines(j, name)) {
          needed.add(j);
          break;
        }
    }
  }
  return statements.flatMap((st, i) =>
    st.targets.length && !needed.has(i) ? [`${st.targets.join(', ')} (line ${st.line})`] : [],
  );
}

/**
 * The ON conditions of `query` joining two schema tables on a key that is neither declared in
 * `schema` nor among `known`, written `a.x = b.y` as in the SQL.
 */
function guessedJoins(query: SqlQuery, schema: Schema, known: readonly ForeignKey[]): string[] {
  const key = (a: string, b: string) => [a.toLowerCase(), b.toLowerCase()].sort().join('=');
  const keys = new Set(
    [...schema.foreignKeys, ...known].map((k) =>
      key(`${k.fromTable}.${k.fromColumn}`, `${k.toTable}.${k.toColumn}`),
    ),
  );
  const isTable = (name: string) =>
    schema.tables.some((t) => t.name.toLowerCase() === name.toLowerCase());
  const out: string[] = [];
  walkQuery(
    query,
    () => {},
    (j) => {
      if (!j.on) return;
      walk(j.on, (e) => {
        if (e.k === 'binary' && e.op === '=' && e.left.k === 'column' && e.right.k === 'column') {
          const [a, b] = [e.left, e.right];
          if (!a.table || !b.table || !isTable(a.table) || !isTable(b.table)) return false;
          const text = `${a.table}.${a.name} = ${b.table}.${b.name}`;
          if (!keys.has(key(`${a.table}.${a.name}`, `${b.table}.${b.name}`)) && !out.includes(text))
            out.push(text);
          return false;
        }
        return e.k === 'binary' && e.op === 'AND';
      });
    },
  );
  return out;
}
