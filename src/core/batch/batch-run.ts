import type { ChatEngine, ChatUsage } from '../engine/chat-engine';
import { EngineAbortError, EngineError, EngineHttpError } from '../engine/errors';
import type { ColumnMeanings } from '../schema/column-meaning';
import type { Schema, TableColumn } from '../schema/schema';
import { extractSql, extractSr } from '../share/extract';
import type { ShareItem } from '../share/item';
import type { ModelIds } from '../share/pipeline';
import {
  augmentedSchema,
  fillPrompt,
  maskPrompt,
  modifyPrompt,
  sql2srPrompt,
  sr2sqlPrompt,
} from '../share/prompt-builders';
import { STAGE_ROLE, STAGES, type StageName } from '../share/stages';
import { requestStage, stageDecoding } from './stage-request';

/** What one stage gave for one item: what the reference records, plus accounting. */
export interface StageResult {
  idx: number;
  prompt: string;
  response: string;
  attempts: number;
  usage?: ChatUsage;
  durationMs: number;
  firstTokenMs?: number;
  /** Computed without a model (the "fast" preset's deterministic stages). */
  deterministic?: boolean;
}

/**
 * Stages computed without a model (stage 1 from the SQL, stage 2 by exact masking, stage 5
 * by compiling the SR); each gets the item, its schema and the previous stage's extracted
 * SR, and returns the stage's output or `undefined` to fall back to the model.
 */
export type DeterministicStages = Partial<
  Record<
    'bam' | 'mask' | 'generator',
    /** `input` is the previous stage's SR; `stage1Sr` the one read from the SQL (stage 1). */
    (
      item: ShareItem,
      schema: Schema,
      input: string,
      stage1Sr: string,
    ) => Promise<string | undefined>
  >
>;

/** Where finished items are kept so a stopped run resumes without redoing them. */
export interface Checkpoint {
  /** Results saved earlier for a stage, by idx. */
  load(stage: StageName): Map<number, StageResult>;
  /** Saves one finished item (called as soon as it finishes). */
  save(stage: StageName, result: StageResult): void;
}

export interface BatchDeps {
  engine: ChatEngine;
  models: ModelIds;
  schemaFor: (dbId: string) => Schema;
  columnMeanings?: ColumnMeanings;
  checkpoint: Checkpoint;
  /** Requests in flight at once within a stage. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Retries after an invalid answer (the reference: 10). */
  maxRetries?: number;
  /** Retries of a request the engine failed (server down, HTTP error), with back-off. */
  engineRetries?: number;
  /** First back-off in ms (doubles per retry). */
  retryDelayMs?: number;
  generatorMaxTokens?: number;
  /** Stages to compute without a model where possible (the "fast" preset). */
  deterministic?: DeterministicStages;
  now?: () => number;
  onStageStart?: (stage: StageName, total: number, alreadyDone: number) => void;
  onItemDone?: (stage: StageName, done: number, total: number) => void;
  /** A stage finished for every item (results in idx order). */
  onStageDone?: (stage: StageName, results: StageResult[], wallMs: number) => void;
  /** After stage 3: the augmented schema of every item. */
  onAugmented?: (augmented: Map<number, TableColumn[]>) => void;
  /** After stage 4: stage 5's prompts. */
  onGeneratorPrompts?: (prompts: Map<number, string>) => void;
}

/** What a batch run produced. */
export interface BatchOutcome {
  stages: Partial<Record<StageName, StageResult[]>>;
  augmented: Map<number, TableColumn[]>;
  generatorPrompts: Map<number, string>;
  /** The generator's SQL per idx (extracted), when a generator ran. */
  finalSql?: Map<number, string>;
  /** Wall time of each stage run now (0 for stages found complete). */
  wallMs: Partial<Record<StageName, number>>;
}

/** A batch run stopped; finished items are in the checkpoint. */
export class BatchError extends Error {
  override name = 'BatchError';
  constructor(
    readonly stage: StageName,
    readonly idx: number,
    message: string,
    readonly cancelled = false,
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Runs SHARE over a batch stage by stage, as the reference does (every item through BAM,
 * then masking, SAM, LOM, the generator), so a server swaps models rarely. Each finished
 * item is checkpointed at once; items already in the checkpoint are not requested again.
 */
export async function runBatch(
  items: readonly ShareItem[],
  deps: BatchDeps,
): Promise<BatchOutcome> {
  const now = deps.now ?? (() => Date.now());
  const byIdx = new Map(items.map((i) => [i.idx, i]));
  const schemas = new Map<string, Schema>();
  const schemaOf = (item: ShareItem): Schema => {
    let s = schemas.get(item.dbId);
    if (!s) {
      s = deps.schemaFor(item.dbId);
      schemas.set(item.dbId, s);
    }
    return s;
  };
  const meanings = deps.columnMeanings ?? new Map<string, string>();
  const results = new Map<StageName, Map<number, StageResult>>();
  const extracted = (stage: StageName, idx: number): string =>
    extractSr(results.get(stage)!.get(idx)!.response);
  const augmented = new Map<number, TableColumn[]>();
  const generatorPrompts = new Map<number, string>();
  const outcome: BatchOutcome = { stages: {}, augmented, generatorPrompts, wallMs: {} };

  const promptOf = (stage: StageName, item: ShareItem): string => {
    const schema = schemaOf(item);
    switch (stage) {
      case 'bam':
        return sql2srPrompt(item, schema);
      case 'mask':
        return maskPrompt(extracted('bam', item.idx));
      case 'sam':
        return fillPrompt(item, schema, extracted('mask', item.idx));
      case 'lom':
        return modifyPrompt(item, augmented.get(item.idx)!, meanings, extracted('sam', item.idx));
      case 'generator':
        return generatorPrompts.get(item.idx)!;
    }
  };

  const ask = async (
    stage: StageName,
    item: ShareItem,
    model: string | undefined,
  ): Promise<StageResult> => {
    const prompt = promptOf(stage, item);
    const det = deps.deterministic?.[stage as 'bam' | 'mask' | 'generator'];
    if (det) {
      const started = now();
      const previous: StageName | undefined =
        stage === 'mask' ? 'bam' : stage === 'generator' ? 'lom' : undefined;
      const input = previous ? extracted(previous, item.idx) : '';
      let output: string | undefined;
      try {
        const stage1Sr = stage === 'bam' ? '' : extracted('bam', item.idx);
        output = await det(item, schemaOf(item), input, stage1Sr);
      } catch {
        output = undefined;
      }
      if (output !== undefined) {
        const fence = stage === 'generator' ? 'sqlite' : 'SR';
        return {
          idx: item.idx,
          prompt,
          response: `\`\`\`${fence}\n${output}\n\`\`\``,
          attempts: 0,
          durationMs: now() - started,
          deterministic: true,
        };
      }
      // Stage 5 without a generator model: no SQL for this item.
      if (!model)
        return {
          idx: item.idx,
          prompt,
          response: '',
          attempts: 0,
          durationMs: now() - started,
          deterministic: true,
        };
    }
    const retries = deps.engineRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      if (deps.signal?.aborted) throw new BatchError(stage, item.idx, 'cancelled', true);
      try {
        const answer = await requestStage(deps.engine, stage, model!, prompt, {
          idx: item.idx,
          signal: deps.signal,
          maxRetries: deps.maxRetries,
          now,
          decoding: stageDecoding(stage, deps.generatorMaxTokens),
        });
        return { idx: item.idx, prompt, ...answer };
      } catch (error) {
        const cancelled = error instanceof EngineAbortError || deps.signal?.aborted === true;
        const message = error instanceof Error ? error.message : String(error);
        if (cancelled) throw new BatchError(stage, item.idx, 'cancelled', true);
        // A refused request (unknown model, bad input) fails the same way again: no retry.
        const permanent =
          error instanceof EngineHttpError &&
          error.status < 500 &&
          error.status !== 429 &&
          error.status !== 408;
        if (!(error instanceof EngineError) || permanent || attempt >= retries) {
          throw new BatchError(stage, item.idx, `stage ${stage}, item ${item.idx}: ${message}`);
        }
        await sleep((deps.retryDelayMs ?? 1000) * 2 ** attempt, deps.signal);
      }
    }
  };

  const runStage = async (stage: StageName, model: string | undefined): Promise<void> => {
    const saved = deps.checkpoint.load(stage);
    const done = new Map<number, StageResult>();
    for (const [idx, r] of saved) if (byIdx.has(idx)) done.set(idx, r);
    results.set(stage, done);
    const todo = items.filter((i) => !done.has(i.idx));
    deps.onStageStart?.(stage, items.length, done.size);
    const started = now();
    let next = 0;
    let failure: unknown;
    const lane = async (): Promise<void> => {
      while (next < todo.length && failure === undefined) {
        const item = todo[next++]!;
        try {
          const result = await ask(stage, item, model);
          done.set(item.idx, result);
          deps.checkpoint.save(stage, result);
          deps.onItemDone?.(stage, done.size, items.length);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    const lanes = Math.max(1, Math.min(deps.concurrency ?? 1, todo.length));
    await Promise.all(Array.from({ length: lanes }, lane));
    if (failure !== undefined) throw failure;
    const wall = todo.length > 0 ? now() - started : 0;
    outcome.wallMs[stage] = wall;
    const ordered = items.map((i) => done.get(i.idx)!);
    outcome.stages[stage] = ordered;
    deps.onStageDone?.(stage, ordered, wall);
  };

  for (const stage of STAGES) {
    const role = STAGE_ROLE[stage];
    const model = role === 'generator' ? deps.models.generator : deps.models[role];
    if (stage === 'generator' && !model && !deps.deterministic?.generator) break;
    await runStage(stage, model);
    if (stage === 'sam') {
      for (const item of items) {
        const response = results.get('sam')!.get(item.idx)!.response;
        augmented.set(item.idx, augmentedSchema(item, schemaOf(item), response));
      }
      deps.onAugmented?.(augmented);
    }
    if (stage === 'lom') {
      for (const item of items) {
        generatorPrompts.set(
          item.idx,
          sr2sqlPrompt(
            item,
            schemaOf(item),
            augmented.get(item.idx)!,
            meanings,
            extracted('lom', item.idx),
          ),
        );
      }
      deps.onGeneratorPrompts?.(generatorPrompts);
    }
  }
  const gen = results.get('generator');
  if (gen)
    outcome.finalSql = new Map(items.map((i) => [i.idx, extractSql(gen.get(i.idx)!.response)]));
  return outcome;
}
