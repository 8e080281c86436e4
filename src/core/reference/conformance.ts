import { createTwoFilesPatch } from 'diff';
import { type RecordedResponse, ReplayEngine } from '../engine/replay';
import { SchemaError } from '../schema/errors';
import { schemaForDb } from '../schema/from-tables-json';
import type { Schema } from '../schema/schema';
import type { ShareItem } from '../share/item';
import { correct } from '../share/pipeline';
import { STAGES, type StageName } from '../share/stages';
import { normalizeSetOrder, sameMultiset } from './normalize';
import type { ReferenceSet } from './reference-set';

export interface Tally {
  compared: number;
  identical: number;
}

export interface Mismatch {
  idx: number;
  stage: StageName | 'augmentedSchema';
  diff: string;
}

/** The JSON shape printed by `share conformance --json`. */
export interface ConformanceReport {
  set: string;
  items: number;
  stages: Record<StageName, Tally>;
  augmentedSchema: Tally;
  mismatches: Mismatch[];
}

const MAX_MISMATCHES = 20;
const MAX_DIFF_CHARS = 4000;

/** A replay recording from a reference set; the generator answers with its recorded SQL. */
export function recordingOf(ref: ReferenceSet): Map<string, Map<number, RecordedResponse>> {
  const recording = new Map<string, Map<number, RecordedResponse>>();
  for (const [stage, records] of ref.stages) {
    const answers = new Map<number, RecordedResponse>();
    for (const [idx, rec] of records)
      if (rec.response !== undefined) answers.set(idx, { response: rec.response });
    recording.set(stage, answers);
  }
  if (ref.finalSql) {
    // The recordings keep only the post-processed SQL of stage 5, so replay re-wraps it.
    const answers = new Map<number, RecordedResponse>();
    // An empty recorded SQL came from an empty answer: replay it as one (a fenced empty
    // block would read as "ite" under the reference's extraction rules).
    for (const [idx, sql] of ref.finalSql) {
      answers.set(idx, { response: sql === '' ? '' : '```sqlite\n' + sql + '\n```' });
    }
    recording.set('generator', answers);
  }
  return recording;
}

/** What our pipeline built for one item: the prompt per stage and the augmented schema. */
export interface BuiltItem {
  prompts: Partial<Record<StageName, string>>;
  augmentedSchema?: string[];
  error?: string;
}

/** Runs the pipeline on one item against the replay engine and collects what it built. */
export async function buildItem(
  ref: ReferenceSet,
  item: ShareItem,
  engine: ReplayEngine,
): Promise<BuiltItem> {
  const built: BuiltItem = { prompts: {} };
  let schema: Schema;
  try {
    schema = schemaForDb(ref.tables, item.dbId);
  } catch (error) {
    if (error instanceof SchemaError) return { ...built, error: error.message };
    throw error;
  }
  for await (const event of correct(item, {
    engine,
    schema,
    columnMeanings: ref.columnMeanings,
    models: { bam: 'bam', sam: 'sam', lom: 'lom' },
    maxRetries: 0,
  })) {
    if (event.type === 'stage-start' && event.attempt === 1)
      built.prompts[event.stage] = event.prompt;
    if (event.type === 'result') {
      built.prompts.generator = event.result.generatorPrompt;
      built.augmentedSchema = event.result.augmentedSchema;
    }
    if (event.type === 'error') built.error = event.message;
  }
  return built;
}

function diffOf(recorded: string, ours: string): string {
  const patch = createTwoFilesPatch('recorded', 'ours', recorded, ours, '', '', { context: 1 });
  const body = patch.split('\n').slice(2).join('\n');
  return body.length > MAX_DIFF_CHARS ? `${body.slice(0, MAX_DIFF_CHARS)}\n…(truncated)` : body;
}

/**
 * Replays every item of a recorded run through our pipeline and compares each prompt we
 * build with the recorded one (exactly, except Python-set order), and our augmented schema
 * with the recorded one (as multisets).
 */
export async function runConformance(
  ref: ReferenceSet,
  onProgress?: (done: number, total: number) => void,
): Promise<ConformanceReport> {
  const stages = Object.fromEntries(
    STAGES.map((s) => [s, { compared: 0, identical: 0 }]),
  ) as Record<StageName, Tally>;
  const augmentedSchema: Tally = { compared: 0, identical: 0 };
  const mismatches: Mismatch[] = [];
  const note = (m: Mismatch): void => {
    if (mismatches.length < MAX_MISMATCHES) mismatches.push(m);
  };
  const engine = new ReplayEngine(recordingOf(ref), 1 << 20);
  let done = 0;
  for (const item of ref.items) {
    const built = await buildItem(ref, item, engine);
    for (const stage of STAGES) {
      const recorded = ref.stages.get(stage)?.get(item.idx);
      if (!recorded) continue;
      stages[stage].compared++;
      const ours = built.prompts[stage];
      if (ours === undefined) {
        note({
          idx: item.idx,
          stage,
          diff: `no prompt built: ${built.error ?? 'pipeline stopped earlier'}`,
        });
        continue;
      }
      const a = normalizeSetOrder(recorded.prompt);
      const b = normalizeSetOrder(ours);
      if (a === b) stages[stage].identical++;
      else note({ idx: item.idx, stage, diff: diffOf(a, b) });
    }
    const recordedAug = ref.augmentedSchema?.get(item.idx);
    if (recordedAug) {
      augmentedSchema.compared++;
      const ours = built.augmentedSchema;
      if (ours && sameMultiset(recordedAug, ours)) augmentedSchema.identical++;
      else {
        const show = (xs: readonly string[] | undefined): string =>
          xs ? [...xs].sort().join('\n') + '\n' : '';
        note({
          idx: item.idx,
          stage: 'augmentedSchema',
          diff: diffOf(show(recordedAug), show(ours)),
        });
      }
    }
    onProgress?.(++done, ref.items.length);
  }
  return { set: ref.name, items: ref.items.length, stages, augmentedSchema, mismatches };
}
