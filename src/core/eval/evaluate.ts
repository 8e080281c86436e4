import type { DatasetFormat, DatasetItem } from './dataset';
import type { PyRow } from './py-value';
import { birdResultsMatch, spiderResultsMatch } from './result-equivalence';
import { spiderQueries } from './spider-sql';
import type { QueryOutcome, SqlRunner } from './sql-runner';

/** Default per-item time limits of the official scripts (BIRD's `meta_time_out`, Spider's `TIMEOUT`). */
export const DEFAULT_TIMEOUT_MS: Record<DatasetFormat, number> = { bird: 30_000, spider: 60_000 };

export interface EvalOptions {
  format: DatasetFormat;
  /** The database files of a `db_id` as the runner names them ([] when there are none). */
  databases: (dbId: string) => string[];
  /** BIRD: for the prediction and gold query together; Spider: per query. */
  timeoutMs?: number;
  /** Spider's `--keep_distinct` (off by default, as in the official script). */
  keepDistinct?: boolean;
  /** Items evaluated at once (the runner must serve that many requests in parallel). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The verdict on one item. */
export interface ItemVerdict {
  idx: number;
  correct: boolean;
  /** Why the item could not be scored as correct: a failing or timed-out query, no prediction, … */
  error?: string;
}

/** A gold query that failed: the official Spider script stops there; we report it apart. */
export interface DatasetProblem {
  idx: number;
  error: string;
}

export interface Tally {
  total: number;
  correct: number;
  /** Execution accuracy in percent. */
  ex: number;
}

/** The JSON printed by `share eval --json`. */
export interface EvalReport extends Tally {
  format: DatasetFormat;
  timeoutMs: number;
  keepDistinct?: boolean;
  /** BIRD only: by `difficulty`. */
  byDifficulty?: Record<string, Tally>;
  byDatabase: Record<string, Tally>;
  items: ItemVerdict[];
  datasetErrors: DatasetProblem[];
  warnings: string[];
}

function describe(outcome: QueryOutcome | undefined, what: string): string {
  if (!outcome) return `${what} did not run`;
  if (outcome.kind === 'timeout') return `${what} timed out after ${outcome.timeoutMs / 1000} s`;
  if (outcome.kind === 'error') return `${what} failed: ${outcome.message}`;
  return '';
}

interface Verdict extends ItemVerdict {
  datasetError?: string;
}

async function birdItem(
  item: DatasetItem,
  pred: string,
  runner: SqlRunner,
  dbPath: string,
  timeoutMs: number,
): Promise<Verdict> {
  const gold = item.gold!;
  // One connection, prediction first, then gold, within one time limit (BIRD's execute_sql).
  const out = await runner.run({ db: dbPath, queries: [pred, gold], timeoutMs, text: 'strict' });
  const [p, g] = out;
  if (p?.kind !== 'rows')
    return { idx: item.idx, correct: false, error: describe(p, 'prediction') };
  if (g?.kind !== 'rows') {
    if (g?.kind === 'timeout')
      return { idx: item.idx, correct: false, error: describe(g, 'prediction + gold') };
    const error = describe(g, 'gold query');
    return { idx: item.idx, correct: false, error, datasetError: error };
  }
  return { idx: item.idx, correct: birdResultsMatch(p.rows, g.rows) };
}

async function spiderItem(
  item: DatasetItem,
  pred: string,
  runner: SqlRunner,
  dbPaths: string[],
  timeoutMs: number,
  keepDistinct: boolean,
): Promise<Verdict> {
  const q = spiderQueries(pred, item.gold!, keepDistinct);
  // Test suites: the prediction must match the gold query on every database of the folder.
  for (const db of dbPaths) {
    const [g] = await runner.run({ db, queries: [q.gold], timeoutMs, text: 'ignore' });
    if (g?.kind !== 'rows') {
      const error = describe(g, 'gold query');
      return { idx: item.idx, correct: false, error, datasetError: error };
    }
    const [p] = await runner.run({ db, queries: [q.pred], timeoutMs, text: 'ignore' });
    if (p?.kind !== 'rows')
      return { idx: item.idx, correct: false, error: describe(p, 'prediction') };
    const goldRows: PyRow[] = g.rows;
    if (!spiderResultsMatch(goldRows, p.rows, q.orderMatters))
      return { idx: item.idx, correct: false };
  }
  return { idx: item.idx, correct: true };
}

function count(m: Record<string, [number, number]>, key: string, ok: number): void {
  const entry = m[key] ?? [0, 0];
  entry[0]++;
  entry[1] += ok;
  m[key] = entry;
}

function tally(total: number, correct: number): Tally {
  return { total, correct, ex: total === 0 ? 0 : (100 * correct) / total };
}

/**
 * Scores predictions against gold queries by execution, item by item as the official BIRD
 * or Spider (test-suite) evaluator would, and summarizes overall, by difficulty (BIRD) and
 * by database.
 */
export async function evaluate(
  items: readonly DatasetItem[],
  predictions: ReadonlyMap<number, string>,
  runner: SqlRunner,
  options: EvalOptions,
  warnings: readonly string[] = [],
): Promise<EvalReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS[options.format];
  const keepDistinct = options.keepDistinct ?? false;
  const verdicts: Verdict[] = new Array(items.length);
  const allWarnings = [...warnings];
  const extra = [...predictions.keys()].filter((k) => k >= items.length).length;
  if (extra > 0) allWarnings.push(`${extra} predictions have no item in the dataset; ignored`);

  const one = async (item: DatasetItem): Promise<Verdict> => {
    const pred = predictions.get(item.idx);
    if (pred === undefined) return { idx: item.idx, correct: false, error: 'no prediction' };
    if (item.gold === undefined) {
      const error = 'the dataset has no gold SQL for this item';
      return { idx: item.idx, correct: false, error, datasetError: error };
    }
    const dbPaths = options.databases(item.dbId);
    if (dbPaths.length === 0) {
      const error = `no database file for "${item.dbId}"`;
      return { idx: item.idx, correct: false, error, datasetError: error };
    }
    return options.format === 'bird'
      ? birdItem(item, pred, runner, dbPaths[0]!, timeoutMs)
      : spiderItem(item, pred, runner, dbPaths, timeoutMs, keepDistinct);
  };

  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      verdicts[i] = await one(items[i]!);
      options.onProgress?.(++done, items.length);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 1, items.length));
  await Promise.all(Array.from({ length: lanes }, worker));

  const byDatabase: Record<string, [number, number]> = {};
  const byDifficulty: Record<string, [number, number]> = {};
  let correct = 0;
  items.forEach((item, i) => {
    const ok = verdicts[i]!.correct ? 1 : 0;
    correct += ok;
    count(byDatabase, item.dbId, ok);
    if (options.format === 'bird' && item.difficulty !== undefined) {
      count(byDifficulty, item.difficulty, ok);
    }
  });
  const toTallies = (m: Record<string, [number, number]>): Record<string, Tally> =>
    Object.fromEntries(Object.entries(m).map(([k, [t, c]]) => [k, tally(t, c)]));

  return {
    format: options.format,
    ...tally(items.length, correct),
    timeoutMs,
    ...(options.format === 'spider' ? { keepDistinct } : {}),
    ...(options.format === 'bird' ? { byDifficulty: toTallies(byDifficulty) } : {}),
    byDatabase: toTallies(byDatabase),
    items: verdicts.map(({ idx, correct: c, error }) =>
      error ? { idx, correct: c, error } : { idx, correct: c },
    ),
    datasetErrors: verdicts.flatMap((v) =>
      v.datasetError ? [{ idx: v.idx, error: v.datasetError }] : [],
    ),
    warnings: allWarnings,
  };
}

/** A readable table of a report (overall, by difficulty, by database). */
export function formatReport(report: EvalReport): string {
  const pct = (t: Tally): string => `${t.ex.toFixed(2).padStart(7)} %`;
  const row = (name: string, t: Tally): string =>
    `${name.padEnd(28)} ${String(t.correct).padStart(6)} / ${String(t.total).padEnd(6)} ${pct(t)}`;
  const out = [
    `execution accuracy (${report.format} rules, time limit ${report.timeoutMs / 1000} s)`,
    '',
    row('all', report),
  ];
  if (report.byDifficulty && Object.keys(report.byDifficulty).length > 0) {
    out.push('', 'by difficulty');
    const order = ['simple', 'moderate', 'challenging'];
    const keys = Object.keys(report.byDifficulty).sort(
      (a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b),
    );
    for (const k of keys) out.push(row(`  ${k}`, report.byDifficulty[k]!));
  }
  out.push('', 'by database');
  for (const k of Object.keys(report.byDatabase).sort())
    out.push(row(`  ${k}`, report.byDatabase[k]!));
  const failed = report.items.filter((i) => i.error).length;
  if (failed) out.push('', `${failed} items with a failing or timed-out query (see --json)`);
  if (report.datasetErrors.length) {
    out.push(
      `${report.datasetErrors.length} dataset errors (gold query failed or missing database)`,
    );
  }
  for (const w of report.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}
