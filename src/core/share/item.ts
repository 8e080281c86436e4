/** One question to correct: the inputs of the SHARE pipeline for a single item. */
export interface ShareItem {
  /** Position of the item in its dataset (the key of `baseline_sql.json`). */
  idx: number;
  dbId: string;
  question: string;
  /** External knowledge / hints; '' when there is none. */
  evidence: string;
  /** The SQL to correct, raw: it may end with BIRD's `\t----- bird -----\t<db_id>` suffix. */
  initialSql: string;
}

/** The initial SQL as stage 1 sees it: cut at the first tab, newlines turned into spaces. */
export function stage1Sql(rawSql: string): string {
  return rawSql.split('\t')[0]!.replaceAll('\n', ' ');
}

const BIRD_SUFFIX = /\t----- bird -----\t[^\t]*$/;

/** The SQL without BIRD's `\t----- bird -----\t<db_id>` suffix (if it has one). */
export function stripBirdSuffix(sql: string): string {
  return sql.replace(BIRD_SUFFIX, '');
}

/** The SQL with BIRD's suffix, as BIRD prediction files and the reference's outputs hold it. */
export function withBirdSuffix(sql: string, dbId: string): string {
  return `${sql}\t----- bird -----\t${dbId}`;
}
