import { type ColumnMeanings, parseColumnMeanings } from '../schema/column-meaning';
import type { TablesJsonEntry } from '../schema/from-tables-json';
import { type ShareItem, stripBirdSuffix } from '../share/item';
import type { StageName } from '../share/stages';

/** The file of each stage in a recorded run, as the reference names them. */
export const STAGE_FILES: Record<StageName, string> = {
  bam: 'original_traj.jsonl',
  mask: 'masked_traj.jsonl',
  sam: 'intermediate_traj.jsonl',
  lom: 'final_traj.jsonl',
  generator: 'prompts_for_generator.jsonl',
};

/** One recorded stage of one item. `response` is absent for the generator's prompts file. */
export interface RecordedStage {
  prompt: string;
  response?: string;
}

/** A recorded run of the reference pipeline (any subset of its files). */
export interface ReferenceSet {
  name: string;
  items: ShareItem[];
  tables: TablesJsonEntry[];
  columnMeanings: ColumnMeanings;
  stages: Map<StageName, Map<number, RecordedStage>>;
  augmentedSchema?: Map<number, string[]>;
  /** The generator's SQL per idx, BIRD suffix removed. */
  finalSql?: Map<number, string>;
}

/** A reference file is missing or malformed; the message names the file. */
export class ReferenceSetError extends Error {
  override name = 'ReferenceSetError';
}

interface DevItem {
  question?: unknown;
  evidence?: unknown;
  db_id?: unknown;
  question_id?: unknown;
}

function parseJson<T>(file: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ReferenceSetError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function parseJsonl(
  file: string,
  text: string,
  report: (problem: ReferenceSetError) => void,
): Map<number, RecordedStage> {
  const records = new Map<number, RecordedStage>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const row = parseJson<{ idx?: unknown; prompt?: unknown; response?: unknown }>(
        `${file} line ${i + 1}`,
        line,
      );
      const idx = Number(row?.idx);
      if (!Number.isInteger(idx) || typeof row.prompt !== 'string') {
        throw new ReferenceSetError(
          `${file} line ${i + 1}: expected {"idx", "prompt", "response"}`,
        );
      }
      records.set(idx, {
        prompt: row.prompt,
        response: typeof row.response === 'string' ? row.response : undefined,
      });
    } catch (error) {
      if (error instanceof ReferenceSetError) report(error);
      else throw error;
    }
  });
  return records;
}

/**
 * Builds a ReferenceSet from file texts by name (`dev.json`, `tables.json`,
 * `baseline_sql.json`, optional `column_meaning.json`, stage files, `augmented_schema.json`,
 * `final_sql.json`). Items are those with a record in any stage file, or every baseline
 * entry when there is none; an item's dev.json entry is at position idx.
 *
 * A malformed stage record, or an item without its dev.json entry or baseline SQL, throws
 * ReferenceSetError; given `onProblem`, it is reported there and left out instead (one bad
 * line in a held-out run need not void the rest). Missing or malformed whole files throw.
 */
export function parseReferenceSet(
  name: string,
  files: ReadonlyMap<string, string>,
  onProblem?: (message: string) => void,
): ReferenceSet {
  const report = (problem: ReferenceSetError) => {
    if (!onProblem) throw problem;
    onProblem(problem.message);
  };
  const need = (file: string): string => {
    const text = files.get(file);
    if (text === undefined) throw new ReferenceSetError(`${name}: ${file} is missing`);
    return text;
  };
  const dev = parseJson<DevItem[]>('dev.json', need('dev.json'));
  const tables = parseJson<TablesJsonEntry[]>('tables.json', need('tables.json'));
  const baseline = parseJson<Record<string, unknown>>(
    'baseline_sql.json',
    need('baseline_sql.json'),
  );
  if (!Array.isArray(dev)) throw new ReferenceSetError('dev.json must be a list of items');
  if (!Array.isArray(tables))
    throw new ReferenceSetError('tables.json must be a list of databases');
  const meaningText = files.get('column_meaning.json');
  const columnMeanings = meaningText ? parseColumnMeanings(meaningText) : new Map<string, string>();

  const stages = new Map<StageName, Map<number, RecordedStage>>();
  for (const [stage, file] of Object.entries(STAGE_FILES) as [StageName, string][]) {
    const text = files.get(file);
    if (text !== undefined) stages.set(stage, parseJsonl(file, text, report));
  }

  const ids = new Set<number>();
  for (const records of stages.values()) for (const idx of records.keys()) ids.add(idx);
  if (stages.size === 0) for (const key of Object.keys(baseline)) ids.add(Number(key));

  const items: ShareItem[] = [...ids]
    .sort((a, b) => a - b)
    .flatMap((idx) => {
      const info = dev[idx];
      const sql = baseline[String(idx)];
      if (!info) {
        report(new ReferenceSetError(`dev.json has no item at position ${idx}`));
        return [];
      }
      if (typeof sql !== 'string') {
        report(new ReferenceSetError(`baseline_sql.json has no SQL for "${idx}"`));
        return [];
      }
      return {
        idx,
        dbId: String(info.db_id),
        question: String(info.question ?? ''),
        evidence: typeof info.evidence === 'string' ? info.evidence : '',
        initialSql: sql,
      };
    });

  let augmentedSchema: Map<number, string[]> | undefined;
  const augText = files.get('augmented_schema.json');
  if (augText !== undefined) {
    const aug = parseJson<Record<string, string[]>>('augmented_schema.json', augText);
    augmentedSchema = new Map(Object.entries(aug).map(([k, v]) => [Number(k), v]));
  }

  let finalSql: Map<number, string> | undefined;
  const finalText = files.get('final_sql.json');
  if (finalText !== undefined) {
    const raw = parseJson<Record<string, string>>('final_sql.json', finalText);
    finalSql = new Map();
    for (const item of items) {
      // The reference keys final SQL by idx; some published runs key it by question_id.
      const sql = raw[String(item.idx)] ?? raw[String(dev[item.idx]?.question_id)];
      if (typeof sql === 'string') finalSql.set(item.idx, stripBirdSuffix(sql));
    }
  }
  return { name, items, tables, columnMeanings, stages, augmentedSchema, finalSql };
}
