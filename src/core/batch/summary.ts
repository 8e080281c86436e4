import type { Tally } from '../eval/evaluate';
import type { StageName } from '../share/stages';
import type { StageResult } from './batch-run';
import { stageTokens } from './token-usage';

export interface StageSummary {
  stage: StageName;
  model: string;
  items: number;
  /** Model requests made (retries after invalid answers included; 0 for local masking). */
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Items whose server reported no usage. */
  missingUsage: number;
  /** Items computed without a model (the "fast" preset). */
  deterministicItems: number;
  /** Wall time of the stage in this process (0 when it was complete already). */
  wallMs: number;
  latencyMs: { mean: number; p50: number; p95: number };
  /** Time to first token, median. */
  firstTokenMsP50?: number;
}

export interface ExSummary extends Tally {
  byDifficulty?: Record<string, Tally>;
}

/** What `share run` prints with `--json` and keeps in `share_report.json`. */
export interface RunSummary {
  items: number;
  preset: string;
  stages: StageSummary[];
  tokens: { prompt: number; completion: number; total: number };
  cost?: { usd: number; inputPerMTok: number; outputPerMTok: number };
  ex?: { rules: string; before: ExSummary; after: ExSummary };
  /** Why EX is missing (no databases, no gold SQL, no generator). */
  exNote?: string;
  files: string[];
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** Tokens, requests and latency of one stage. */
export function summarizeStage(
  stage: StageName,
  model: string,
  results: readonly StageResult[],
  wallMs: number,
): StageSummary {
  const t = stageTokens(results);
  const durations = results.map((r) => r.durationMs).sort((a, b) => a - b);
  const first = results
    .flatMap((r) => (r.firstTokenMs === undefined ? [] : [r.firstTokenMs]))
    .sort((a, b) => a - b);
  return {
    stage,
    model,
    items: results.length,
    requests: results.reduce((n, r) => n + r.attempts, 0),
    promptTokens: t.prompt,
    completionTokens: t.completion,
    missingUsage: t.missing,
    deterministicItems: results.filter((r) => r.deterministic).length,
    wallMs,
    latencyMs: {
      mean: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0,
      p50: quantile(durations, 0.5),
      p95: quantile(durations, 0.95),
    },
    ...(first.length ? { firstTokenMsP50: quantile(first, 0.5) } : {}),
  };
}
