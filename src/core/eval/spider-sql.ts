import { firstStatement, sqlparseTokens } from './sqlparse-tokens';

/** `postprocess` of the Spider script: `> =`, `< =`, `! =` become `>=`, `<=`, `!=`. */
export function joinSplitOperators(sql: string): string {
  return sql.replaceAll('> =', '>=').replaceAll('< =', '<=').replaceAll('! =', '!=');
}

/**
 * Spider's `remove_distinct`: the first statement of the SQL as sqlparse splits it, with
 * every token spelled `distinct` (any case) dropped, so `count(DISTINCT x)` becomes
 * `count(x)` while `'distinct'` in a string or `distinct_id` stays.
 */
export function removeDistinct(sql: string): string {
  return firstStatement(sqlparseTokens(sql))
    .filter((t) => t.text.toLowerCase() !== 'distinct')
    .map((t) => t.text)
    .join('');
}

/** `replace_cur_year`: `YEAR(CURDATE())` becomes `2020` (with the spaces after it). */
export function replaceCurYear(sql: string): string {
  return sql.replace(/YEAR\s*\(\s*CURDATE\s*\(\s*\)\s*\)\s*/giu, '2020');
}

/** Spider's order rule: rows are compared in order iff the gold SQL contains `order by`. */
export function orderMatters(goldSql: string): boolean {
  return goldSql.toLowerCase().includes('order by');
}

/** The queries the Spider script runs for one item, and whether row order matters. */
export interface SpiderQueries {
  gold: string;
  pred: string;
  orderMatters: boolean;
}

/**
 * Prepares a prediction and a gold query as `evaluation.py` + `exec_eval.py` do before
 * running them: ` value ` → ` 1 ` in the prediction, operator repair, DISTINCT removal
 * (unless `keepDistinct`), order detection, then `YEAR(CURDATE())` → 2020 at execution.
 */
export function spiderQueries(pred: string, gold: string, keepDistinct = false): SpiderQueries {
  let p = joinSplitOperators(pred.replaceAll(' value ', ' 1 '));
  let g = joinSplitOperators(gold);
  if (!keepDistinct) {
    p = removeDistinct(p);
    g = removeDistinct(g);
  }
  return { gold: replaceCurYear(g), pred: replaceCurYear(p), orderMatters: orderMatters(g) };
}
