import { pyStrip } from '../share/extract';
import { DatasetError } from './dataset';

/** Predicted SQL per item index, as the official scripts would read it from the file. */
export interface Predictions {
  /** The SQL the official script would run for item `idx`. */
  byIdx: Map<number, string>;
  /** Things the official script would do differently or refuse (shown to the user). */
  warnings: string[];
}

const BIRD_SEPARATOR = '\t----- bird -----\t';

/**
 * The SQL of one BIRD prediction value, as `package_sqls` reads it: the part before the
 * `\t----- bird -----\t` separator (not stripped); without exactly one separator, the
 * whole string stripped; a value that is not a string becomes `" "`.
 */
export function birdPredictionSql(value: unknown): string {
  if (typeof value !== 'string') return ' ';
  const parts = value.split(BIRD_SEPARATOR);
  return parts.length === 2 ? parts[0]! : pyStrip(value);
}

/**
 * Parses a BIRD prediction file: `{"0": "SQL\t----- bird -----\tdb_id", …}`. Keys that are
 * not indices but an item's `question_id` (as in some published SHARE runs) are mapped
 * through `questionIds`.
 */
export function parseBirdPredictions(
  text: string,
  file = 'predictions',
  questionIds?: ReadonlyMap<string, number>,
): Predictions {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new DatasetError(`${file} must be a JSON object mapping item indices to SQL`);
  }
  const byIdx = new Map<number, string>();
  const warnings: string[] = [];
  const keys = Object.keys(data);
  let byQuestionId = 0;
  for (const key of keys) {
    let idx = Number(key);
    if (!Number.isInteger(idx) || idx < 0 || String(idx) !== key) {
      const mapped = questionIds?.get(key);
      if (mapped === undefined) {
        warnings.push(`key "${key}" is neither an item index nor a question_id; ignored`);
        continue;
      }
      idx = mapped;
      byQuestionId++;
    }
    byIdx.set(idx, birdPredictionSql((data as Record<string, unknown>)[key]));
  }
  if (byQuestionId > 0) {
    warnings.push(`${byQuestionId} keys are question_ids: the official script pairs by file order`);
  } else if ([...byIdx.keys()].some((idx) => idx >= byIdx.size)) {
    // The official script pairs predictions with gold queries by file order, not by key.
    warnings.push('the keys are not exactly 0..n-1: the official script pairs by file order');
  }
  return { byIdx, warnings };
}

/**
 * Parses a Spider prediction file: one SQL per line, optionally followed by `\t` and more
 * fields (the first field is the SQL). Lines are stripped as `evaluation.py` does; an empty
 * line in the middle is a session separator to the official script, so it is kept here as
 * an empty prediction with a warning, and trailing empty lines are dropped.
 */
export function parseSpiderPredictions(text: string): Predictions {
  const lines = text.split(/\r\n|\r|\n/);
  while (lines.length > 0 && pyStrip(lines[lines.length - 1]!) === '') lines.pop();
  const byIdx = new Map<number, string>();
  const warnings: string[] = [];
  lines.forEach((line, idx) => {
    const stripped = pyStrip(line);
    if (stripped === '') {
      warnings.push(
        `line ${idx + 1} is empty: the official script reads it as a session separator and would refuse the file`,
      );
    }
    byIdx.set(idx, stripped.split('\t')[0]!);
  });
  return { byIdx, warnings };
}

/** Parses either kind of prediction file, told apart by content (a JSON object or lines). */
export function parsePredictions(
  text: string,
  file = 'predictions',
  questionIds?: ReadonlyMap<string, number>,
): Predictions {
  const head = text.trimStart();
  if (head.startsWith('{')) return parseBirdPredictions(text, file, questionIds);
  return parseSpiderPredictions(text);
}
