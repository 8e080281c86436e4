import type { QueryResult } from '../../core/db/sql-database';
import type { ChatEngine } from '../../core/engine/chat-engine';
import { OpenAiHttpEngine } from '../../core/engine/openai-http';
import { type ShareItem, stripBirdSuffix } from '../../core/share/item';
import { dotted, mentionedColumns } from '../../core/share/mentioned';
import {
  type CorrectionResult,
  correct,
  FAST_OPTIONS,
  type ModelIds,
  type StageRecord,
} from '../../core/share/pipeline';
import { progressAnnouncement, rowCount } from '../../core/share/progress';
import { augmentedSchema, sql2srPrompt } from '../../core/share/prompt-builders';
import { STAGES, type StageName } from '../../core/share/stages';
import { type DatabaseState, database } from './database.svelte';
import { type EngineSettings, engineSettings } from './engine-settings.svelte';
import { type MeaningsState, meanings } from './meanings.svelte';
import { type ModelsState, models } from './models.svelte';

export type StageStatus = 'pending' | 'running' | 'done' | 'error' | 'skipped';

/** What the timeline shows for one stage. */
export interface StageView {
  status: StageStatus;
  model: string;
  prompt: string;
  attempt: number;
  /** Tokens as they stream in. */
  streamed: string;
  record?: StageRecord;
  /** `table.column` elements the extracted trajectory mentions. */
  touched: string[];
  /** With no model: the trajectory computed from the SQL without a model. */
  preview?: string;
  /** After SAM: the augmented schema LOM and the generator see. */
  augmented?: string[];
}

/** Rows of a query, or why there are none. */
export type RowsView =
  | { state: 'running' }
  | { state: 'done'; result: QueryResult }
  | { state: 'error'; message: string };

function emptyStages(): Record<StageName, StageView> {
  return Object.fromEntries(
    STAGES.map((s) => [
      s,
      { status: 'pending', model: '', prompt: '', attempt: 0, streamed: '', touched: [] },
    ]),
  ) as unknown as Record<StageName, StageView>;
}

/** The inputs, the running correction and its outcome. */
export class CorrectionState {
  question = $state('');
  evidence = $state('');
  sql = $state('');
  running = $state(false);
  stages = $state<Record<StageName, StageView>>(emptyStages());
  result = $state<CorrectionResult | undefined>();
  /** The inputs of the last run (the diff and export refer to them). */
  ranWith = $state<
    | { question: string; evidence: string; sql: string; database: string; engine: string }
    | undefined
  >();
  error = $state<string | undefined>();
  cancelled = $state(false);
  initialRows = $state<RowsView | undefined>();
  finalRows = $state<RowsView | undefined>();
  /** The last thing a screen reader should hear about the run (stage started, finished). */
  announcement = $state('');
  private controller: AbortController | undefined;

  constructor(
    private readonly db: DatabaseState,
    private readonly settings: EngineSettings,
    private readonly models: ModelsState,
    private readonly meaningsState: MeaningsState,
  ) {}

  /** Why Correct cannot run now, or undefined when it can. */
  get blocker(): string | undefined {
    if (this.running) return 'a correction is running';
    if (this.db.status !== 'open' || !this.db.schema) return 'open a database first';
    if (!this.sql.trim()) return 'enter the SQL to correct';
    if (this.settings.kind === 'openai') {
      if (!this.settings.acknowledged)
        return 'confirm that the schema and question may be sent to the endpoint';
      if (!/^https?:\/\//.test(this.settings.baseUrl))
        return 'enter the endpoint URL (http:// or https://)';
    }
    if (this.settings.kind === 'webgpu') {
      if (!this.models.gpu?.available) return 'WebGPU is not available in this browser';
      if (!this.models.selected.bam || !this.models.selected.sam || !this.models.selected.lom) {
        return 'choose the BAM, SAM and LOM models';
      }
    }
    if (this.settings.kind !== 'none' && !this.question.trim()) return 'enter the question';
    return undefined;
  }

  private engineAndModels(): { engine: ChatEngine; ids: ModelIds; label: string } | undefined {
    if (this.settings.kind === 'openai') {
      const m = this.settings.models;
      return {
        engine: new OpenAiHttpEngine({
          baseUrl: this.settings.baseUrl,
          apiKey: this.settings.apiKey || undefined,
        }),
        ids: { bam: m.bam, sam: m.sam, lom: m.lom, generator: m.generator || undefined },
        label: `OpenAI-compatible endpoint ${this.settings.baseUrl} (${this.settings.preset})`,
      };
    }
    if (this.settings.kind === 'webgpu') {
      const s = this.models.selected;
      return {
        engine: this.models.chatEngine(),
        ids: { bam: s.bam, sam: s.sam, lom: s.lom, generator: s.generator || undefined },
        label: `local WebGPU models (${this.settings.preset})`,
      };
    }
    return undefined;
  }

  /** Runs the correction (or, with no model, only the initial SQL and stage 1's prompt). */
  async run(): Promise<void> {
    if (this.blocker) return;
    const schema = this.db.schema!;
    const sql = stripBirdSuffix(this.sql);
    const item: ShareItem = {
      idx: 0,
      dbId: schema.dbId,
      question: this.question,
      evidence: this.evidence,
      initialSql: sql,
    };
    const chosen = this.engineAndModels();
    this.settings.save();
    this.stages = emptyStages();
    this.result = undefined;
    this.error = undefined;
    this.cancelled = false;
    this.finalRows = undefined;
    this.announcement = '';
    this.ranWith = {
      question: this.question,
      evidence: this.evidence,
      sql,
      database: this.db.name ?? schema.dbId,
      engine: chosen?.label ?? 'no model',
    };
    this.running = true;
    const initial = this.runRows(sql, (v) => {
      this.initialRows = v;
    });
    try {
      if (!chosen) {
        const bam = this.stages.bam;
        bam.prompt = sql2srPrompt(item, schema);
        bam.touched = dotted(mentionedColumns(schema, sql));
        for (const s of STAGES) this.stages[s].status = 'skipped';
        // Loaded here rather than at start: the SR toolkit is only needed once SQL runs.
        const sr = await import('../../core/sr/deterministic-stages')
          .then(({ deterministicSqlToSr }) => deterministicSqlToSr(sql, schema))
          .catch((error: Error) => ({
            ok: false as const,
            reason: error.message,
          }));
        bam.preview = sr.ok ? sr.output : `(no trajectory: ${sr.reason})`;
        this.announcement = sr.ok
          ? 'No model chosen: the trajectory of the SQL, computed without one, is ready.'
          : `No model chosen, and no trajectory of the SQL: ${sr.reason}.`;
        return;
      }
      this.controller = new AbortController();
      const columnMeanings = this.meaningsState.forSchema(schema, this.db);
      for await (const event of correct(item, {
        engine: chosen.engine,
        schema,
        models: chosen.ids,
        columnMeanings,
        signal: this.controller.signal,
        options: this.settings.preset === 'fast' ? FAST_OPTIONS : undefined,
        // The fast preset's stage 5 puts its SQL to SQLite on the open database first.
        checkSql: (candidate) => this.db.check(candidate),
      })) {
        // The result is announced once its rows are in (below).
        const said = progressAnnouncement(event, sql);
        if (said && event.type !== 'result') this.announcement = said;
        switch (event.type) {
          case 'stage-start': {
            const view = this.stages[event.stage];
            Object.assign(view, {
              status: 'running',
              model: event.model,
              prompt: event.prompt,
              attempt: event.attempt,
              streamed: '',
            });
            break;
          }
          case 'token':
            this.stages[event.stage].streamed += event.text;
            break;
          case 'stage-end': {
            const view = this.stages[event.record.stage];
            view.status = 'done';
            view.record = event.record;
            view.touched = dotted(mentionedColumns(schema, event.record.extracted));
            if (event.record.stage === 'sam') {
              view.augmented = dotted(augmentedSchema(item, schema, event.record.response));
            }
            break;
          }
          case 'result':
            this.result = event.result;
            if (!event.result.finalSql) this.stages.generator.status = 'skipped';
            if (event.result.finalSql) {
              await this.runRows(event.result.finalSql, (v) => {
                this.finalRows = v;
              });
            }
            this.announcement = `${said ?? ''}${this.rowsSaid()}`;
            break;
          case 'error':
            // The error is shown in an alert; the stage that ran is old news.
            this.announcement = '';
            this.cancelled = event.cancelled;
            this.error = event.message;
            if (event.stage) this.stages[event.stage].status = 'error';
            break;
        }
      }
    } catch (error) {
      this.error = `Unexpected failure: ${(error as Error).message}`;
    } finally {
      await initial;
      this.running = false;
      this.controller = undefined;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** The window's keyboard shortcuts: Ctrl/Cmd+Enter corrects, Escape cancels a running correction. */
  onShortcut(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.run();
    } else if (event.key === 'Escape' && this.running) {
      this.cancel();
    }
  }

  /** What the corrected SQL returned, read out after the result. */
  private rowsSaid(): string {
    const rows = this.finalRows;
    if (rows?.state === 'done') {
      const n = rowCount(rows.result.rows.length);
      return ` It returns ${rows.result.truncated ? `more than ${n}` : n}.`;
    }
    return rows?.state === 'error' ? ` It does not run: ${rows.message}` : '';
  }

  private async runRows(sql: string, set: (v: RowsView) => void): Promise<void> {
    set({ state: 'running' });
    try {
      set({ state: 'done', result: await this.db.query(sql) });
    } catch (error) {
      set({ state: 'error', message: (error as Error).message });
    }
  }

  /** The whole correction as JSON (inputs, every stage, result). */
  exportJson(): string {
    const stages = STAGES.map((s) => this.stages[s].record).filter((r): r is StageRecord => !!r);
    return JSON.stringify(
      {
        tool: 'share-web',
        exportedAt: new Date().toISOString(),
        inputs: this.ranWith,
        stages: stages.map((r) => ({
          stage: r.stage,
          model: r.model,
          prompt: r.prompt,
          response: r.response,
          extracted: r.extracted,
          attempts: r.attempts,
          durationMs: r.durationMs,
          usage: r.usage,
        })),
        augmentedSchema: this.result?.augmentedSchema,
        generatorPrompt: this.result?.generatorPrompt,
        finalSql: this.result?.finalSql,
        ranOn: this.result?.ranOn,
        notes: this.result?.notes,
        error: this.error,
      },
      null,
      2,
    );
  }
}

export const correction = new CorrectionState(database, engineSettings, models, meanings);
