/** Syntax tree of SR (action trajectories). Offsets point into the parsed text. */

interface Node {
  start: number;
  end: number;
}

/** A bare name: a variable (`df1`), a column, a table, a flag (`desc`), a function name. */
export interface SrName extends Node {
  kind: 'name';
  name: string;
  /** `` ` `` when the model backticked it. */
  quote?: string;
}

/** `object.name`: a qualified column (`schools.County`) or a method/attribute. */
export interface SrMember extends Node {
  kind: 'member';
  object: SrExpr;
  name: string;
  quote?: string;
}

export interface SrCall extends Node {
  kind: 'call';
  callee: SrExpr;
  args: SrArg[];
}

export interface SrArg {
  /** Keyword argument name (`element`, `filter`, `by`), undefined when positional. */
  name?: string;
  value: SrExpr;
}

export interface SrString extends Node {
  kind: 'string';
  value: string;
  quote: string;
}

export interface SrNumber extends Node {
  kind: 'number';
  text: string;
}

export interface SrMask extends Node {
  kind: 'mask';
}

export interface SrStar extends Node {
  kind: 'star';
}

export interface SrBinary extends Node {
  kind: 'binary';
  op: string;
  left: SrExpr;
  right: SrExpr;
}

export interface SrUnary extends Node {
  kind: 'unary';
  op: string;
  operand: SrExpr;
}

/** `expr as alias`. */
export interface SrAlias extends Node {
  kind: 'alias';
  expr: SrExpr;
  alias: string;
}

export interface SrList extends Node {
  kind: 'list';
  items: SrExpr[];
  /** `(a, b)` rather than `[a, b]`. */
  tuple?: boolean;
}

export interface SrDict extends Node {
  kind: 'dict';
  entries: { key: SrExpr; value: SrExpr }[];
}

/** `lambda x: body` as some trajectories write it. */
export interface SrLambda extends Node {
  kind: 'lambda';
  params: string[];
  body: SrExpr;
}

/** Text the parser could not read as an expression but kept (inside call arguments). */
export interface SrRaw extends Node {
  kind: 'raw';
  text: string;
}

export type SrExpr =
  | SrName
  | SrMember
  | SrCall
  | SrString
  | SrNumber
  | SrMask
  | SrStar
  | SrBinary
  | SrUnary
  | SrAlias
  | SrList
  | SrDict
  | SrLambda
  | SrRaw;

/** One step: `target = value` (or a bare expression). */
export interface SrStatement extends Node {
  targets: string[];
  value: SrExpr;
  /** 1-based line of the statement's first token. */
  line: number;
}

export interface SrProgram {
  statements: SrStatement[];
}
