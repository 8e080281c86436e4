/**
 * Our own small representation of SQLite queries, built from the parser's AST. SQL is
 * generated from this representation (never by printing a modified parser AST).
 */

/** A column reference; `table` is the qualifier as written (an alias or a table). */
export interface ColumnExpr {
  k: 'column';
  table?: string;
  name: string;
  /** Quote used for the column name in the source (`` ` ``, `"`, `[`), if any. */
  quote?: string;
}

export interface LiteralExpr {
  k: 'literal';
  type: 'string' | 'number' | 'null' | 'boolean';
  /** The value: string contents unescaped, number text as written, 'TRUE'/'FALSE'. */
  value: string;
}

export interface BinaryExpr {
  k: 'binary';
  /** SQL operator: = <> < > <= >= + - * / % || AND OR. */
  op: string;
  left: SqlExpr;
  right: SqlExpr;
}

export interface UnaryExpr {
  k: 'unary';
  op: 'NOT' | '-' | '+' | '~';
  expr: SqlExpr;
}

export interface WindowSpec {
  partitionBy: SqlExpr[];
  orderBy: OrderItem[];
  frame?: true;
}

export interface FunctionExpr {
  k: 'function';
  /** Name as written. */
  name: string;
  args: SqlExpr[];
  distinct: boolean;
  /** `count(*)`. */
  star: boolean;
  /** `OVER (PARTITION BY … ORDER BY …)`; `frame` marks a frame clause or named window we do not model. */
  over?: WindowSpec;
}

/** `*` or `t.*` in a select list. */
export interface StarExpr {
  k: 'star';
  table?: string;
}

export interface CaseExpr {
  k: 'case';
  operand?: SqlExpr;
  whens: { cond: SqlExpr; result: SqlExpr }[];
  else?: SqlExpr;
}

export interface CastExpr {
  k: 'cast';
  expr: SqlExpr;
  type: string;
}

export interface InExpr {
  k: 'in';
  expr: SqlExpr;
  list?: SqlExpr[];
  query?: SqlQuery;
  not: boolean;
}

export interface BetweenExpr {
  k: 'between';
  expr: SqlExpr;
  low: SqlExpr;
  high: SqlExpr;
  not: boolean;
}

export interface LikeExpr {
  k: 'like';
  expr: SqlExpr;
  pattern: SqlExpr;
  not: boolean;
}

export interface IsNullExpr {
  k: 'isnull';
  expr: SqlExpr;
  not: boolean;
}

export interface ExistsExpr {
  k: 'exists';
  query: SqlQuery;
  not: boolean;
}

export interface SubqueryExpr {
  k: 'subquery';
  query: SqlQuery;
}

/** `( expr )` as written; kept so generated SQL keeps the author's grouping. */
export interface NestedExpr {
  k: 'nested';
  expr: SqlExpr;
}

/** A construct our representation does not model; `what` names it for messages. */
export interface UnsupportedExpr {
  k: 'unsupported';
  what: string;
}

export type SqlExpr =
  | ColumnExpr
  | LiteralExpr
  | BinaryExpr
  | UnaryExpr
  | FunctionExpr
  | StarExpr
  | CaseExpr
  | CastExpr
  | InExpr
  | BetweenExpr
  | LikeExpr
  | IsNullExpr
  | ExistsExpr
  | SubqueryExpr
  | NestedExpr
  | UnsupportedExpr;

export interface SelectItem {
  expr: SqlExpr;
  alias?: string;
}

/** A table or derived table in FROM. */
export type TableRef =
  | { k: 'table'; name: string; alias?: string }
  | { k: 'derived'; query: SqlQuery; alias?: string };

export interface Join {
  /** INNER, LEFT, RIGHT, FULL, CROSS (a comma join is CROSS with `comma`). */
  kind: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';
  ref: TableRef;
  on?: SqlExpr;
  using?: string[];
  natural?: boolean;
  comma?: boolean;
}

export interface SqlSelect {
  k: 'select';
  distinct: boolean;
  items: SelectItem[];
  from?: TableRef;
  joins: Join[];
  where?: SqlExpr;
  groupBy: SqlExpr[];
  having?: SqlExpr;
}

export interface SetOperation {
  k: 'set';
  op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  all: boolean;
  left: SqlBody;
  right: SqlBody;
}

/** A parenthesized query used as a set operand. */
export interface QueryBody {
  k: 'query';
  query: SqlQuery;
}

export type SqlBody = SqlSelect | SetOperation | QueryBody;

export interface OrderItem {
  expr: SqlExpr;
  /** true DESC, false ASC written, undefined when not written. */
  desc?: boolean;
}

export interface SqlQuery {
  with: { name: string; query: SqlQuery; columns: string[] }[];
  body: SqlBody;
  orderBy: OrderItem[];
  limit?: SqlExpr;
  offset?: SqlExpr;
}
