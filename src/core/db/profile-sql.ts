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

/** Rows a value lookup scans at most, so checking SQL as it is typed stays quick. */
export const LOOKUP_ROW_BOUND = 200_000;

/** The bounded query finding whether a value (parameter 1) occurs in a column. */
export function valueLookupSql(table: string, column: string, bound = LOOKUP_ROW_BOUND): string {
  return `SELECT 1 FROM (SELECT ${quoteIdent(column)} AS v FROM ${quoteIdent(table)} LIMIT ${bound}) WHERE v = ? LIMIT 1`;
}

/** The bounded query telling whether a table has more than `bound` rows (1 if so). */
export function moreRowsThanSql(table: string, bound = LOOKUP_ROW_BOUND): string {
  return `SELECT count(*) > ${bound} FROM (SELECT 1 FROM ${quoteIdent(table)} LIMIT ${bound + 1})`;
}
