import { type ModelRole, resolveModelUrls } from '../../core/manifest/manifest';
import { correct } from '../../core/share/pipeline';
import { demo } from '../demo/demo.svelte';
import type { GpuReport } from '../llm/webgpu-probe';
import { database } from '../state/database.svelte';
import { models } from '../state/models.svelte';

/** One model's figures (null where not measured). */
export interface BenchModel {
  id: string;
  role: ModelRole;
  quantization: string;
  /** Whether web-llm had the weights cached when the run started. */
  wasCached: boolean | null;
  /** Load with a download (only when the weights were not cached). */
  coldLoadMs: number | null;
  /** Load from web-llm's cache (after an unload). */
  cachedLoadMs: number | null;
  prefillTokensPerS: number | null;
  decodeTokensPerS: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** web-llm's `runtimeStatsText()` after the generation. */
  runtimeStats: string | null;
  error: string | null;
}

/** One demo question corrected end to end. */
export interface BenchCorrection {
  id: string;
  ms: number;
  finalSql: string | null;
  error: string | null;
}

/** The exported report (`schema` changes when fields change meaning). */
export interface BenchReport {
  tool: 'share-web';
  kind: 'benchmark';
  schema: 1;
  startedAt: string;
  finishedAt: string | null;
  userAgent: string;
  webLlmVersion: string;
  gpu: {
    available: boolean;
    adapter: string | null;
    hasShaderF16: boolean;
    features: string[];
    maxBufferMB: number | null;
    reason: string | null;
  };
  models: BenchModel[];
  corrections: {
    questions: number;
    completed: number;
    totalMs: number | null;
    items: BenchCorrection[];
  };
  /** Why the benchmark could not run (no adapter, no model), or null. */
  error: string | null;
}

const PROBE_PROMPT =
  'Rewrite this SQL as a list of steps: SELECT name, COUNT(*) FROM orders JOIN customers USING (customer_id) GROUP BY name ORDER BY 2 DESC LIMIT 5';

function gpuPart(gpu: GpuReport | undefined): BenchReport['gpu'] {
  return {
    available: !!gpu?.available,
    adapter: gpu?.adapter || null,
    hasShaderF16: !!gpu?.hasShaderF16,
    features: gpu?.features ?? [],
    maxBufferMB: gpu?.maxBufferMB ?? null,
    reason: gpu?.available ? null : (gpu?.reason ?? 'WebGPU was not probed'),
  };
}

/** The in-app benchmark: model load times, prefill/decode speed, demo corrections. */
export class BenchState {
  running = $state(false);
  step = $state('');
  report = $state<BenchReport | undefined>();
  /** Delete each model from web-llm's cache first, to measure a cold load (downloads again). */
  coldStart = $state(false);
  /** How many demo questions to correct end to end (0 skips). */
  questions = $state(3);

  private now = (): number => performance.now();

  /** Runs the benchmark; never throws (failures are in the report). */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const report: BenchReport = {
      tool: 'share-web',
      kind: 'benchmark',
      schema: 1,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      userAgent: navigator.userAgent,
      webLlmVersion: __WEB_LLM_VERSION__,
      gpu: gpuPart(undefined),
      models: [],
      corrections: { questions: 0, completed: 0, totalMs: null, items: [] },
      error: null,
    };
    this.report = report;
    try {
      this.step = 'checking WebGPU…';
      await models.ready;
      report.gpu = gpuPart(models.gpu);
      if (!models.gpu?.available) {
        report.error = `No usable WebGPU adapter: ${models.gpu?.reason ?? 'unknown reason'}. The benchmark needs a GPU.`;
        return;
      }
      if (models.manifestError) {
        report.error = models.manifestError;
        return;
      }
      const roles = ['bam', 'sam', 'lom'] as const;
      const ids = [...new Set(roles.map((r) => models.selected[r]).filter(Boolean))];
      if (!ids.length) {
        report.error =
          'No SHARE model in models-manifest.json can run on this GPU (see the Models page).';
        return;
      }
      for (const id of ids) report.models.push(await this.benchModel(id));
      if (!report.models.some((m) => m.error === null)) {
        report.error = 'No model could be loaded: see each model’s error.';
        return;
      }
      if (this.questions > 0) await this.benchCorrections(report);
    } catch (error) {
      report.error = `The benchmark stopped: ${(error as Error).message}`;
    } finally {
      report.finishedAt = new Date().toISOString();
      this.report = { ...report };
      this.step = '';
      this.running = false;
    }
  }

  private async benchModel(id: string): Promise<BenchModel> {
    const m = models.model(id)!;
    const result: BenchModel = {
      id,
      role: m.role,
      quantization: m.quantization,
      wasCached: null,
      coldLoadMs: null,
      cachedLoadMs: null,
      prefillTokensPerS: null,
      decodeTokensPerS: null,
      promptTokens: null,
      completionTokens: null,
      runtimeStats: null,
      error: null,
    };
    try {
      const { hasModelInCache } = await import('@mlc-ai/web-llm');
      if (this.coldStart) await models.deleteFromCache(id).catch(() => {});
      result.wasCached = await hasModelInCache(id, models.appConfig()).catch(() => null);
      this.step = `${id}: loading${result.wasCached ? ' from the cache' : ' (download)'}…`;
      let started = this.now();
      await models.load([id]);
      const first = this.now() - started;
      if (result.wasCached) result.cachedLoadMs = first;
      else result.coldLoadMs = first;
      if (!result.wasCached) {
        this.step = `${id}: loading again from the cache…`;
        await models.unload();
        started = this.now();
        await models.load([id]);
        result.cachedLoadMs = this.now() - started;
      }
      this.step = `${id}: generating…`;
      const engine = await models.engineWith(id);
      const reply = await engine.chat.completions.create({
        model: id,
        messages: [{ role: 'user', content: PROBE_PROMPT }],
        max_tokens: 128,
        temperature: 0,
        stream: false,
      });
      const usage = reply.usage;
      result.promptTokens = usage?.prompt_tokens ?? null;
      result.completionTokens = usage?.completion_tokens ?? null;
      result.prefillTokensPerS = usage?.extra?.prefill_tokens_per_s ?? null;
      result.decodeTokensPerS = usage?.extra?.decode_tokens_per_s ?? null;
      result.runtimeStats = await engine.runtimeStatsText(id).catch(() => null);
    } catch (error) {
      result.error = (error as Error).message;
    }
    return result;
  }

  private async benchCorrections(report: BenchReport): Promise<void> {
    this.step = 'opening the demo database…';
    await demo.start();
    if (demo.status !== 'ready' || !demo.set || !database.schema) {
      throw new Error(demo.error ?? 'the demo database did not open');
    }
    const schema = database.schema;
    const questions = demo.set.questions.slice(0, this.questions);
    report.corrections.questions = questions.length;
    const engine = models.chatEngine();
    const s = models.selected;
    const all = this.now();
    for (const [i, q] of questions.entries()) {
      this.step = `correcting demo question ${i + 1} of ${questions.length}…`;
      const started = this.now();
      const item: BenchCorrection = { id: q.id, ms: 0, finalSql: null, error: null };
      for await (const event of correct(
        {
          idx: i,
          dbId: schema.dbId,
          question: q.question,
          evidence: q.evidence,
          initialSql: q.wrongSql,
        },
        {
          engine,
          schema,
          models: { bam: s.bam, sam: s.sam, lom: s.lom, generator: s.generator || undefined },
        },
      )) {
        if (event.type === 'result') item.finalSql = event.result.finalSql ?? null;
        if (event.type === 'error') item.error = event.message;
      }
      item.ms = this.now() - started;
      report.corrections.items.push(item);
      if (!item.error) report.corrections.completed++;
    }
    report.corrections.totalMs = this.now() - all;
  }

  /** The report as pretty JSON. */
  json(): string {
    return JSON.stringify(this.report ?? null, null, 2);
  }

  /** Where a model's files come from (shown beside its figures). */
  source(id: string): string {
    const m = models.model(id);
    return m ? resolveModelUrls(m, document.baseURI).weightsUrl : '';
  }
}

export const bench = new BenchState();
