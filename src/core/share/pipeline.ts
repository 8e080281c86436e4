import type { ChatEngine, ChatMessage, ChatUsage } from '../engine/chat-engine';
import { EngineAbortError, EngineError } from '../engine/errors';
import type { ColumnMeanings } from '../schema/column-meaning';
import type { Schema, TableColumn } from '../schema/schema';
import type { DeterministicOutcome } from '../sr/deterministic-stages';
import {
  INVALID_RESPONSE,
  isInvalidResponse,
  MAX_INVALID_RETRIES,
  stageDecoding,
  stageMessages,
} from './decoding';
import { extractSql, extractSr } from './extract';
import type { ShareItem } from './item';
import { stripBirdSuffix } from './item';
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

/**
 * Which stages run on a model and which run deterministically (no model). The default is
 * the reference pipeline: every stage on its model.
 */
export interface PipelineOptions {
  /** Stage 1 (SQL → SR): BAM, or our SQL → SR translation. */
  sqlToSr?: 'model' | 'deterministic';
  /** Stage 2 (masking): BAM, or exact masking of schema references. */
  mask?: 'model' | 'deterministic';
  /**
   * Stage 5 (SR → SQL): the generator model, or compiling the corrected SR to SQL. When SAM
   * and LOM hand back the stage-1 trajectory unchanged, `deterministic` keeps the SQL as
   * written instead of compiling it (a round trip can lose what SR does not say, such as
   * ties at a MAX or a LEFT JOIN).
   */
  srToSql?: 'generator' | 'deterministic';
}

/**
 * The deterministic stages (the SR toolkit, with the SQL parser behind it), loaded when a
 * pipeline first runs one: the default pipeline never does, and the app starts faster
 * without them.
 */
const deterministicStages = () => import('../sr/deterministic-stages');

/** A rough count of model tokens for text (about four characters per token). */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The reference pipeline: every stage on its model (the default). */
export const FAITHFUL_OPTIONS: Required<PipelineOptions> = {
  sqlToSr: 'model',
  mask: 'model',
  srToSql: 'generator',
};

/** The "fast" preset: stages 1, 2 and 5 without a model; SAM and LOM still run. */
export const FAST_OPTIONS: Required<PipelineOptions> = {
  sqlToSr: 'deterministic',
  mask: 'deterministic',
  srToSql: 'deterministic',
};

/** Where a stage ran: on its model, deterministically, or not at all. */
export type StageRun = 'model' | 'deterministic' | 'skipped';

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
  /** Stages to run without a model; omitted = the reference pipeline. */
  options?: PipelineOptions;
  /**
   * Asks SQLite whether it accepts a statement against the user's database (prepares it,
   * runs nothing): undefined when it does, SQLite's message when it does not. Given, the
   * deterministic stage 5 never returns SQL that SQLite rejects (see `checkedBySqlite`).
   */
  checkSql?: (sql: string) => Promise<string | undefined>;
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
  /** The corrected SQL, when a generator (or the deterministic stage 5) ran. */
  finalSql?: string;
  /** Where each stage ran. */
  ranOn: Record<StageName, StageRun>;
  /**
   * Model tokens not spent because stages ran deterministically: prompt plus output of the
   * skipped calls, estimated at about four characters per token.
   */
  estimatedTokensSaved: number;
  /** Why a deterministic stage fell back to its model, and what it only approximated. */
  notes: string[];
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
  const options = { ...FAITHFUL_OPTIONS, ...deps.options };
  const ranOn: Record<StageName, StageRun> = {
    bam: 'skipped',
    mask: 'skipped',
    sam: 'skipped',
    lom: 'skipped',
    generator: 'skipped',
  };
  const notes: string[] = [];
  let estimatedTokensSaved = 0;

  /** Records a stage computed without a model, shaped as the model's answer would be. */
  async function* deterministicStage(
    stage: StageName,
    prompt: string,
    output: string,
    fenced: 'SR' | 'sqlite',
  ): AsyncGenerator<ShareEvent, StageRecord> {
    current = stage;
    const startedAt = now();
    yield { type: 'stage-start', stage, model: 'deterministic', prompt, attempt: 1 };
    const response = `\`\`\`${fenced}\n${output}\n\`\`\``;
    yield { type: 'token', stage, text: response };
    const record: StageRecord = {
      stage,
      model: 'deterministic',
      messages: [],
      prompt,
      response,
      extracted: output,
      attempts: 0,
      startedAt,
      durationMs: now() - startedAt,
    };
    ranOn[stage] = 'deterministic';
    estimatedTokensSaved += estimateTokens(SYSTEM_PROMPT + prompt) + estimateTokens(response);
    records.push(record);
    yield { type: 'stage-end', record };
    return record;
  }

  /** Notes why a deterministic stage could not run (the model stage then runs instead). */
  function fellBack(
    stage: StageName,
    outcome: DeterministicOutcome,
  ): outcome is Extract<DeterministicOutcome, { ok: true }> {
    if (outcome.ok) {
      notes.push(...outcome.notes.map((n) => `${stage}: ${n}`));
      return true;
    }
    notes.push(
      `${stage}: deterministic stage not possible (${outcome.reason}); ran the model instead`,
    );
    return false;
  }

  async function* runStage(
    stage: StageName,
    prompt: string,
    extract: (response: string) => string,
  ): AsyncGenerator<ShareEvent, StageRecord> {
    current = stage;
    const model =
      stage === 'generator' ? deps.models.generator! : deps.models[STAGE_ROLE[stage] as 'bam'];
    // Stage 5 went to a hosted LLM as a single user message in the reference run.
    const messages = stageMessages(stage, prompt);
    const decoding = stageDecoding(stage);
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
        ...decoding,
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
      // The empty-answer retry belongs to the reference's SLM runner (stages 1-4); its
      // generator call (stage 5) takes whatever the LLM answered.
      if (stage === 'generator' || !isInvalidResponse(response)) break;
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
    ranOn[stage] = 'model';
    yield { type: 'stage-end', record };
    return record;
  }

  try {
    const { schema } = deps;
    const meanings = deps.columnMeanings ?? new Map<string, string>();
    const bamPrompt = sql2srPrompt(item, schema);
    let original: StageRecord | undefined;
    if (options.sqlToSr === 'deterministic') {
      const outcome = await (await deterministicStages()).deterministicSqlToSr(
        stripBirdSuffix(item.initialSql),
        schema,
      );
      if (fellBack('bam', outcome))
        original = yield* deterministicStage('bam', bamPrompt, outcome.output, 'SR');
    }
    original ??= yield* runStage('bam', bamPrompt, extractSr);
    let masked: StageRecord | undefined;
    if (options.mask === 'deterministic') {
      const outcome = (await deterministicStages()).deterministicMask(original.extracted, schema);
      if (fellBack('mask', outcome)) {
        masked = yield* deterministicStage(
          'mask',
          maskPrompt(original.extracted),
          outcome.output,
          'SR',
        );
      }
    }
    masked ??= yield* runStage('mask', maskPrompt(original.extracted), extractSr);
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
    if (options.srToSql === 'deterministic') {
      const stages = await deterministicStages();
      const outcome = await stages.checkedBySqlite(
        await stages.deterministicFinalSql(
          fixed.extracted,
          original.extracted,
          stripBirdSuffix(item.initialSql),
          schema,
        ),
        deps.checkSql,
      );
      if (outcome.ok) {
        finalSql = (yield* deterministicStage(
          'generator',
          generatorPrompt,
          outcome.output,
          'sqlite',
        )).extracted;
        notes.push(...outcome.notes.map((n) => `generator: ${n}`));
      } else if (deps.models.generator) fellBack('generator', outcome);
      else
        notes.push(
          `generator: the corrected trajectory is not compiled to SQL (${outcome.reason})`,
        );
    }
    if (finalSql === undefined && deps.models.generator) {
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
        ranOn,
        estimatedTokensSaved,
        notes,
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
