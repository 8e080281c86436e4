import { compareCodePoints, type PyRow, pyStr, pyTypeStr, rowKey, valueKey } from './py-value';

/** BIRD's rule: `set(predicted_rows) == set(gold_rows)` (tuples compared as they are). */
export function birdResultsMatch(predicted: readonly PyRow[], gold: readonly PyRow[]): boolean {
  const a = new Set(predicted.map(rowKey));
  const b = new Set(gold.map(rowKey));
  if (a.size !== b.size) return false;
  for (const k of a) if (!b.has(k)) return false;
  return true;
}

/** Spider's `unorder_row`: the row's values sorted by `str(v) + str(type(v))`. */
function unorderedRowKey(row: PyRow): string {
  const keyed = row.map((v) => ({ v, k: pyStr(v) + pyTypeStr(v) }));
  keyed.sort((x, y) => compareCodePoints(x.k, y.k));
  return rowKey(keyed.map((e) => e.v));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  if (x.size !== y.size) return false;
  for (const k of x) if (!y.has(k)) return false;
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const counts = new Map<string, number>();
  for (const k of a) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const k of b) {
    const n = counts.get(k);
    if (!n) return false;
    counts.set(k, n - 1);
  }
  return true;
}

/**
 * Spider test-suite `result_eq(gold, pred, order_matters)`: equal bags of rows (lists when
 * order matters) under some permutation of the prediction's columns, after the official
 * quick rejection on rows with their values sorted.
 *
 * The official script enumerates column permutations, narrowed by sampling rows when there
 * are more than 3 columns; the sampling only drops permutations that cannot match, so the
 * verdict is "some permutation matches". We search the same space with exact pruning (a
 * predicted column must hold the gold column's values) so wide results stay fast.
 */
export function spiderResultsMatch(
  gold: readonly PyRow[],
  pred: readonly PyRow[],
  orderMatters: boolean,
): boolean {
  if (gold.length === 0 && pred.length === 0) return true;
  if (gold.length !== pred.length) return false;
  const numCols = gold[0]!.length;
  if (pred[0]!.length !== numCols) return false;

  const s1 = gold.map(unorderedRowKey);
  const s2 = pred.map(unorderedRowKey);
  if (orderMatters ? !sameList(s1, s2) : !sameSet(s1, s2)) return false;

  const goldCols = columnKeys(gold, numCols);
  const predCols = columnKeys(pred, numCols);
  const goldRows = gold.map(rowKey);

  // Candidates: a predicted column can stand for a gold column only if it holds the same
  // values (the same sequence when order matters, the same multiset otherwise).
  const sig = (col: string[]): string => JSON.stringify(orderMatters ? col : [...col].sort());
  const goldSig = goldCols.map(sig);
  const predSig = predCols.map(sig);
  // Predicted columns with identical contents are interchangeable: try one of each.
  const predSeq = predCols.map((c) => JSON.stringify(c));
  const candidates = goldSig.map((g) => predSig.flatMap((p, j) => (p === g ? [j] : [])));

  const perm: number[] = new Array(numCols).fill(-1);
  const used = new Array<boolean>(numCols).fill(false);
  const matches = (): boolean => {
    const permuted = pred.map((row) => rowKey(perm.map((j) => row[j]!)));
    return orderMatters ? sameList(goldRows, permuted) : sameMultiset(goldRows, permuted);
  };
  const search = (i: number): boolean => {
    if (i === numCols) return matches();
    const tried = new Set<string>();
    for (const j of candidates[i]!) {
      if (used[j] || tried.has(predSeq[j]!)) continue;
      tried.add(predSeq[j]!);
      used[j] = true;
      perm[i] = j;
      if (search(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return search(0);
}

function columnKeys(rows: readonly PyRow[], numCols: number): string[][] {
  const cols: string[][] = Array.from({ length: numCols }, () => []);
  for (const row of rows) for (let i = 0; i < numCols; i++) cols[i]!.push(valueKey(row[i]!));
  return cols;
}
