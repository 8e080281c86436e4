import type { ChatEngine, ChatMessage, ChatUsage } from '../engine/chat-engine';
import { EngineAbortError, EngineError } from '../engine/errors';
import type { ColumnMeanings } from '../schema/column-meaning';
import type { Schema, TableColumn } from '../schema/schema';
import {
  GREEDY_DECODING,
  INVALID_RESPONSE,
  isInvalidResponse,
  MAX_INVALID_RETRIES,
} from './decoding';
import { extractSql, extractSr } from './extract';
import type { ShareItem } from './item';
import { dotted } from './mentioned';
import {
  augmentedSchema,
  fillPrompt,
  maskPrompt,
  modifyPrompt,
  sql2srPrompt,
  sr2sqlPrompt,
} from './prompt-builders';
import { SYSTEM_PROMPT } from './prompts';
import { STAGE_ROLE, type StageName } from './stages';

/** Model ids per role; without a generator the pipeline stops after building its prompt. */
export interface ModelIds {
  bam: string;
  sam: string;
  lom: string;
  generator?: string;
}

/** Everything `correct` needs besides the item. */
export interface CorrectDeps {
  engine: ChatEngine;
  schema: Schema;
  models: ModelIds;
  columnMeanings?: ColumnMeanings;
  signal?: AbortSignal;
  /** Retries after an invalid (≤ 1 character) response; the reference uses 10. */
  maxRetries?: number;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
}

/** What one stage did. */
export interface StageRecord {
  stage: StageName;
  model: string;
  messages: ChatMessage[];
  /** The user message: what the reference records as `prompt`. */
  prompt: string;
  /** The raw response (or `[INVALID]` after the retries ran out). */
  response: string;
  /** The SR block (stages 1-4) or the SQL (stage 5) extracted from the response. */
  extracted: string;
  attempts: number;
  startedAt: number;
  durationMs: number;
  /** Milliseconds from request to first token; undefined when no token came. */
  firstTokenMs?: number;
  usage?: ChatUsage;
}

/** The outcome of a whole correction. */
export interface CorrectionResult {
  idx: number;
  stages: StageRecord[];
  /** The augmented schema (`table.column`, schema order). */
  augmentedSchema: string[];
  /** Stage 5's prompt, built even when no generator model ran. */
  generatorPrompt: string;
  /** The corrected SQL, when a generator ran. */
  finalSql?: string;
}

/** Events of a correction, in order: per stage start, tokens, end; then result or error. */
export type ShareEvent =
  | { type: 'stage-start'; stage: StageName; model: string; prompt: string; attempt: number }
  | { type: 'token'; stage: StageName; text: string }
  | { type: 'retry'; stage: StageName; attempt: number; reason: string }
  | { type: 'stage-end'; record: StageRecord }
  | { type: 'result'; result: CorrectionResult }
  | { type: 'error'; stage?: StageName; message: string; cancelled: boolean; error: Error };

/** A failure inside one stage; `message` names the stage for the user. */
export class StageError extends Error {
  override name = 'StageError';
  constructor(
    readonly stage: StageName,
    override readonly cause: Error,
  ) {
    super(`${stage}: ${cause.message}`);
  }
}

/**
 * Runs SHARE on one item and streams what happens. Never throws: failures, including
 * cancellation through `deps.signal`, end the stream with an `error` event naming the stage.
 */
export async function* correct(item: ShareItem, deps: CorrectDeps): AsyncGenerator<ShareEvent> {
  const now = deps.now ?? (() => Date.now());
  const records: StageRecord[] = [];
  let current: StageName | undefined;

  async function* runStage(
    stage: StageName,
    prompt: string,
    extract: (response: string) => string,
  ): AsyncGenerator<ShareEvent, StageRecord> {
    current = stage;
    const model =
      stage === 'generator' ? deps.models.generator! : deps.models[STAGE_ROLE[stage] as 'bam'];
    // Stage 5 went to a hosted LLM as a single user message in the reference run.
    const messages: ChatMessage[] =
      stage === 'generator'
        ? [{ role: 'user', content: prompt }]
        : [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: prompt },
          ];
    const maxRetries = deps.maxRetries ?? MAX_INVALID_RETRIES;
    const startedAt = now();
    let response = '';
    let usage: ChatUsage | undefined;
    let firstTokenMs: number | undefined;
    let attempts = 0;
    for (;;) {
      attempts++;
      if (deps.signal?.aborted) throw new EngineAbortError();
      yield { type: 'stage-start', stage, model, prompt, attempt: attempts };
      response = '';
      const requestAt = now();
      for await (const chunk of deps.engine.chat({
        model,
        messages,
        temperature: GREEDY_DECODING.temperature,
        topP: GREEDY_DECODING.topP,
        maxTokens: GREEDY_DECODING.maxTokens,
        stop: [...GREEDY_DECODING.stop],
        signal: deps.signal,
        meta: { stage, idx: item.idx },
      })) {
        if (chunk.type === 'delta') {
          if (firstTokenMs === undefined && chunk.text) firstTokenMs = now() - requestAt;
          response += chunk.text;
          yield { type: 'token', stage, text: chunk.text };
        } else {
          usage = addUsage(usage, chunk.usage);
        }
      }
      if (!isInvalidResponse(response)) break;
      if (attempts > maxRetries) {
        response = INVALID_RESPONSE;
        break;
      }
      yield { type: 'retry', stage, attempt: attempts + 1, reason: 'empty response' };
    }
    const record: StageRecord = {
      stage,
      model,
      messages,
      prompt,
      response,
      extracted: extract(response),
      attempts,
      startedAt,
      durationMs: now() - startedAt,
      firstTokenMs,
      usage,
    };
    records.push(record);
    yield { type: 'stage-end', record };
    return record;
  }

  try {
    const { schema } = deps;
    const meanings = deps.columnMeanings ?? new Map<string, string>();
    const original = yield* runStage('bam', sql2srPrompt(item, schema), extractSr);
    const masked = yield* runStage('mask', maskPrompt(original.extracted), extractSr);
    const filled = yield* runStage('sam', fillPrompt(item, schema, masked.extracted), extractSr);
    current = 'sam';
    const augmented: TableColumn[] = augmentedSchema(item, schema, filled.response);
    const fixed = yield* runStage(
      'lom',
      modifyPrompt(item, augmented, meanings, filled.extracted),
      extractSr,
    );
    current = 'generator';
    const generatorPrompt = sr2sqlPrompt(item, schema, augmented, meanings, fixed.extracted);
    let finalSql: string | undefined;
    if (deps.models.generator) {
      finalSql = (yield* runStage('generator', generatorPrompt, extractSql)).extracted;
    }
    yield {
      type: 'result',
      result: {
        idx: item.idx,
        stages: records,
        augmentedSchema: dotted(augmented),
        generatorPrompt,
        finalSql,
      },
    };
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const cancelled = error instanceof EngineAbortError || deps.signal?.aborted === true;
    const what = error instanceof EngineError ? error.message : `internal error: ${error.message}`;
    yield {
      type: 'error',
      stage: current,
      cancelled,
      message: cancelled ? `Cancelled during stage ${current}` : `Stage ${current} failed: ${what}`,
      error: current ? new StageError(current, error) : error,
    };
  }
}

function addUsage(a: ChatUsage | undefined, b: ChatUsage | undefined): ChatUsage | undefined {
  if (!b) return a;
  if (!a) return { ...b };
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}
