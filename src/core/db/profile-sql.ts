/** Quotes a name for SQLite ("a""b"). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Rows a column profile looks at, so profiling a huge table stays quick. */
export const PROFILE_ROW_BOUND = 20_000;

/** Distinct example values a profile keeps. */
export const PROFILE_EXAMPLES = 3;

/** The bounded query counting rows, non-nulls and distinct values of one column. */
export function profileCountsSql(table: string, column: string, bound = PROFILE_ROW_BOUND): string {
  const c = quoteIdent(column);
  return `SELECT count(*), count(v), count(DISTINCT v) FROM (SELECT ${c} AS v FROM ${quoteIdent(table)} LIMIT ${bound})`;
}

/** The bounded query picking a few distinct non-null example values of one column. */
export function profileExamplesSql(
  table: string,
  column: string,
  bound = PROFILE_ROW_BOUND,
  n = PROFILE_EXAMPLES,
): string {
  const c = quoteIdent(column);
  return `SELECT DISTINCT v FROM (SELECT ${c} AS v FROM ${quoteIdent(table)} LIMIT ${bound}) WHERE v IS NOT NULL LIMIT ${n}`;
}
