import type { StageName } from '../share/stages';
import type { StageResult } from './batch-run';
import type { PyJson } from './py-json';

/** The reference's step names in `all_token_usage.json`. */
export const STEP_NAMES: Record<StageName, string> = {
  bam: 'bam_sql2traj',
  mask: 'bam_mask_traj',
  sam: 'sam_schema_augment',
  lom: 'lom_modify_traj',
  generator: 'final_sql_gpt',
};

/** Token totals of one stage. */
export interface StageTokens {
  prompt: number;
  completion: number;
  /** Items whose server reported no usage. */
  missing: number;
}

/** Sums the usage of a stage's results. */
export function stageTokens(results: readonly StageResult[]): StageTokens {
  const t: StageTokens = { prompt: 0, completion: 0, missing: 0 };
  for (const r of results) {
    if (!r.usage) {
      if (r.attempts > 0) t.missing++;
      continue;
    }
    t.prompt += r.usage.promptTokens;
    t.completion += r.usage.completionTokens;
  }
  return t;
}

function entryUsage(r: StageResult): { [k: string]: PyJson } {
  const p = r.usage?.promptTokens ?? 0;
  const c = r.usage?.completionTokens ?? 0;
  return {
    prompt_tokens: p,
    completion_tokens: c,
    total_tokens: p + c,
    cached_tokens: 0,
    reasoning_tokens: 0,
  };
}

/** The generator step's summary, as the reference writes it. */
function generatorSummary(results: readonly StageResult[]): { [k: string]: PyJson } {
  const t = stageTokens(results);
  return {
    step: STEP_NAMES.generator,
    prompt_tokens: t.prompt,
    completion_tokens: t.completion,
    cached_tokens: 0,
    reasoning_tokens: 0,
    total_tokens: t.prompt + t.completion,
  };
}

/** `token_usage.json`: the generator step's summary and per-item usage. */
export function tokenUsageJson(generator: readonly StageResult[]): PyJson {
  return {
    summary: generatorSummary(generator),
    per_entry: generator.map((r) => ({ idx: r.idx, token_usage: entryUsage(r) })),
  };
}

/**
 * `all_token_usage.json`: every step's totals (the baseline generator's when its token log
 * is given, SHARE's steps, then the generator's), as the reference writes it.
 */
export function allTokenUsageJson(
  stages: Partial<Record<StageName, readonly StageResult[]>>,
  baselineStep?: { [k: string]: PyJson },
): PyJson {
  const steps: { [k: string]: PyJson }[] = baselineStep
    ? [{ ...baselineStep, step: 'baseline_sql_gpt' }]
    : [];
  for (const stage of ['bam', 'mask', 'sam', 'lom'] as const) {
    const results = stages[stage];
    if (!results) continue;
    const t = stageTokens(results);
    steps.push({
      step: STEP_NAMES[stage],
      prompt_tokens: t.prompt,
      output_tokens: t.completion,
      total_tokens: t.prompt + t.completion,
    });
  }
  const gen = stages.generator;
  if (gen) steps.push(generatorSummary(gen));
  const num = (v: PyJson | undefined): number => (typeof v === 'number' ? v : 0);
  const prompt = steps.reduce((n, s) => n + num(s.prompt_tokens), 0);
  const output = steps.reduce((n, s) => n + num(s.output_tokens) + num(s.completion_tokens), 0);
  const total = steps.reduce((n, s) => n + num(s.total_tokens), 0);
  return {
    grand_total: { prompt_tokens: prompt, output_tokens: output, total_tokens: total },
    per_step: steps,
    gpt_per_entry: gen ? gen.map((r) => ({ idx: r.idx, token_usage: entryUsage(r) })) : [],
  };
}
