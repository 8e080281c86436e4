import type { AppConfig, InitProgressReport, WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import {
  type Manifest,
  type ManifestModel,
  type ModelRole,
  parseManifest,
  resolveModelUrls,
  runnableModels,
} from '../../core/manifest/manifest';
import { toWebLlmRecord } from '../../core/manifest/web-llm-record';
import { explainWebLlmError, ModelUnsupportedError } from '../llm/model-errors';
import { preflightModel } from '../llm/preflight';
import { etaSeconds, progressMegabytes } from '../llm/progress';
import { type GpuReport, probeWebGpu } from '../llm/webgpu-probe';
import { WebLlmChatEngine } from '../llm/webllm-chat-engine';

export type ModelState = 'unknown' | 'not-cached' | 'cached' | 'loading' | 'loaded' | 'error';

/** What the model manager shows about one model. */
export interface ModelStatus {
  state: ModelState;
  /** 0..1 while loading. */
  progress: number;
  progressText: string;
  /** Megabytes fetched so far, when web-llm says. */
  fetchedMB?: number;
  etaSeconds?: number;
  cacheBytes?: number;
  error?: string;
}

export interface StorageInfo {
  usage: number;
  quota: number;
  persisted: boolean;
}

type Residency = 'one' | 'all';

const web = () => import('@mlc-ai/web-llm');

/** Models, the GPU, and web-llm's engine in its worker: the model manager's state. */
export class ModelsState {
  manifest = $state<Manifest | undefined>();
  manifestError = $state<string | undefined>();
  gpu = $state<GpuReport | undefined>();
  statuses = $state<Record<string, ModelStatus>>({});
  selected = $state<Record<ModelRole, string>>({ bam: '', sam: '', lom: '', generator: '' });
  residency = $state<Residency>('one');
  storage = $state<StorageInfo | undefined>();
  /** Ids currently resident in the engine. */
  resident = $state<string[]>([]);

  private worker: Worker | undefined;
  private engine: WebWorkerMLCEngine | undefined;
  private loading: Promise<void> | undefined;
  /** Bumped by abortLoad, so a load cancelled before web-llm started stops too. */
  private loadGeneration = 0;
  /** Fails the load in progress (set while `reload` runs). */
  private cancelLoad: ((error: Error) => void) | undefined;

  /** Models this GPU can run (q4f32 only without shader-f16; none without WebGPU). */
  get offered(): ManifestModel[] {
    if (!this.manifest || !this.gpu?.available) return [];
    return runnableModels(this.manifest, { features: this.gpu.features });
  }

  offeredFor(role: ModelRole): ManifestModel[] {
    return this.offered.filter((m) => m.role === role);
  }

  model(id: string): ManifestModel | undefined {
    return this.manifest?.models.find((m) => m.id === id);
  }

  /** Settles when `init` has run (the manifest and GPU report are known). */
  readonly ready: Promise<void>;
  private markReady: () => void = () => {};

  constructor() {
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  /** Reads and validates the manifest and probes WebGPU; never throws. */
  async init(): Promise<void> {
    try {
      await this.initOnce();
    } finally {
      this.markReady();
    }
  }

  private async initOnce(): Promise<void> {
    const [manifest, gpu] = await Promise.all([this.fetchManifest(), probeWebGpu()]);
    this.gpu = gpu;
    if (!manifest) return;
    this.manifest = manifest;
    for (const m of manifest.models)
      this.statuses[m.id] = { state: 'unknown', progress: 0, progressText: '' };
    for (const role of ['bam', 'sam', 'lom', 'generator'] as const) {
      this.selected[role] = this.offeredFor(role)[0]?.id ?? '';
    }
  }

  private async fetchManifest(): Promise<Manifest | undefined> {
    const url = new URL('models-manifest.json', document.baseURI).href;
    try {
      const response = await fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
      return parseManifest(await response.json());
    } catch (error) {
      this.manifestError = `The model list could not be read: ${(error as Error).message}`;
      return undefined;
    }
  }

  appConfig(): AppConfig {
    const models = this.manifest?.models ?? [];
    return {
      model_list: models.map((m) => toWebLlmRecord(m, resolveModelUrls(m, document.baseURI))),
    } as AppConfig;
  }

  /** Cache status and size of every model, plus the storage estimate. */
  async refreshCache(): Promise<void> {
    await this.refreshStorage();
    if (!this.manifest) return;
    const { hasModelInCache } = await web();
    const appConfig = this.appConfig();
    await Promise.all(
      this.manifest.models.map(async (m) => {
        const status = this.statuses[m.id]!;
        if (status.state === 'loading' || status.state === 'loaded' || status.state === 'error')
          return;
        try {
          const cached = await hasModelInCache(m.id, appConfig);
          status.state = cached ? 'cached' : 'not-cached';
          status.cacheBytes = cached
            ? await cachedBytes(resolveModelUrls(m, document.baseURI).weightsUrl)
            : 0;
        } catch (error) {
          status.state = 'unknown';
          status.error = `cache status unavailable: ${(error as Error).message}`;
        }
      }),
    );
  }

  async refreshStorage(): Promise<void> {
    if (!navigator.storage?.estimate) return;
    const estimate = await navigator.storage.estimate();
    const persisted = (await navigator.storage.persisted?.()) ?? false;
    this.storage = { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
  }

  /** Asks the browser not to evict the downloaded models. */
  async persist(): Promise<void> {
    await navigator.storage?.persist?.();
    await this.refreshStorage();
  }

  async deleteFromCache(id: string): Promise<void> {
    if (this.resident.includes(id)) await this.unload();
    const { deleteModelAllInfoInCache } = await web();
    await deleteModelAllInfoInCache(id, this.appConfig());
    await this.refreshCache();
  }

  /** Loads the given models (all resident at once), replacing what was loaded. */
  async load(ids: string[]): Promise<void> {
    if (this.loading) await this.loading.catch(() => {});
    this.loading = this.doLoad(ids);
    try {
      await this.loading;
    } finally {
      this.loading = undefined;
    }
  }

  private async doLoad(ids: string[]): Promise<void> {
    const models = ids.map((id) => {
      const m = this.model(id);
      if (!m) throw new ModelUnsupportedError(`${id} is not in models-manifest.json`);
      return m;
    });
    const set = (id: string, patch: Partial<ModelStatus>): void => {
      Object.assign(this.statuses[id]!, patch);
    };
    for (const m of models)
      set(m.id, { state: 'loading', progress: 0, progressText: 'checking…', error: undefined });
    const generation = this.loadGeneration;
    try {
      if (!this.gpu?.available)
        throw new ModelUnsupportedError(this.gpu?.reason ?? 'WebGPU is not available');
      for (const m of models) {
        const missing = m.requiredFeatures.filter((f) => !this.gpu!.features.includes(f));
        if (missing.length) {
          throw new ModelUnsupportedError(
            `${m.id} needs the WebGPU feature ${missing.join(', ')}, which this GPU lacks: choose its q4f32 variant.`,
          );
        }
        await preflightModel(resolveModelUrls(m, document.baseURI));
      }
      if (generation !== this.loadGeneration)
        throw new ModelUnsupportedError('loading was cancelled');
      const started = performance.now();
      const onProgress = (report: InitProgressReport): void => {
        const elapsed = (performance.now() - started) / 1000;
        for (const m of models) {
          set(m.id, {
            progress: report.progress,
            progressText: report.text,
            fetchedMB: progressMegabytes(report.text),
            etaSeconds: etaSeconds(report.progress, elapsed),
          });
        }
      };
      const lib = await web();
      if (!this.engine) {
        this.worker = new Worker(new URL('../../../workers/llm.worker.ts', import.meta.url), {
          type: 'module',
          name: 'llm',
        });
        this.watchWorker(this.worker);
        this.engine = new lib.WebWorkerMLCEngine(this.worker, {
          appConfig: this.appConfig(),
          initProgressCallback: onProgress,
        });
      } else {
        this.engine.setInitProgressCallback(onProgress);
      }
      this.resident = [];
      // A terminated worker never answers, so a cancelled load must not wait for reload.
      const cancelled = new Promise<never>((_resolve, reject) => {
        this.cancelLoad = reject;
      });
      cancelled.catch(() => {});
      try {
        await Promise.race([this.engine.reload(ids.length === 1 ? ids[0]! : ids), cancelled]);
      } finally {
        this.cancelLoad = undefined;
      }
      this.resident = ids;
      for (const m of models) set(m.id, { state: 'loaded', progress: 1, etaSeconds: undefined });
    } catch (error) {
      const message =
        error instanceof ModelUnsupportedError ||
        (error as Error).name === 'ModelFilesNotFoundError'
          ? (error as Error).message
          : explainWebLlmError(error, ids.join(', '));
      for (const m of models) set(m.id, { state: 'error', progress: 0, error: message });
      // A lost GPU device leaves the engine unusable: the next load starts a fresh worker.
      if ((error as Error).name === 'DeviceLostError') this.terminate();
      throw new ModelUnsupportedError(message);
    }
  }

  /** Stops a load in progress by ending the worker (web-llm's own abort leaves no clear state). */
  abortLoad(): void {
    this.loadGeneration++;
    this.cancelLoad?.(new ModelUnsupportedError('loading was cancelled'));
    this.terminate();
    for (const status of Object.values(this.statuses)) {
      if (status.state === 'loading')
        Object.assign(status, { state: 'unknown', progress: 0, progressText: 'cancelled' });
    }
  }

  async unload(): Promise<void> {
    await this.engine?.unload();
    for (const id of this.resident) this.statuses[id]!.state = 'cached';
    this.resident = [];
  }

  /** Set when the model worker failed on its own and was ended (shown to the user). */
  workerFailure = $state<string | undefined>();

  /**
   * A model worker that fails outside any request (an uncaught error, its memory gone) is
   * ended: a load waiting on it fails with a message, and the next load starts afresh.
   */
  private watchWorker(worker: Worker): void {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (this.worker !== worker) return;
      const message = `The model worker failed (${event.message || 'an uncaught error'}) and was stopped; load the model again.`;
      this.workerFailure = message;
      this.cancelLoad?.(new ModelUnsupportedError(message));
      for (const id of this.resident) Object.assign(this.statuses[id]!, { state: 'unknown' });
      this.terminate();
    });
  }

  private terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.engine = undefined;
    this.resident = [];
  }

  /** The web-llm engine with `id` resident, loading it if needed (the benchmark page). */
  async engineWith(id: string): Promise<WebWorkerMLCEngine> {
    if (!this.resident.includes(id) || !this.engine) await this.load([id]);
    return this.engine!;
  }

  /** The ChatEngine that runs on the selected models, loading them as the residency says. */
  chatEngine(): WebLlmChatEngine {
    return new WebLlmChatEngine({
      ensure: async (id, signal) => {
        if (!this.resident.includes(id) || !this.engine) {
          // "All three resident" keeps BAM, SAM and LOM loaded together; the generator
          // (stage 5, last) replaces them.
          const share = (['bam', 'sam', 'lom'] as const).map((r) => this.selected[r]);
          const ids = this.residency === 'all' && share.includes(id) ? share : [id];
          // Cancelling a correction while its model loads stops the load too.
          const onAbort = (): void => this.abortLoad();
          signal?.addEventListener('abort', onAbort, { once: true });
          try {
            await this.load(ids.filter(Boolean));
          } finally {
            signal?.removeEventListener('abort', onAbort);
          }
        }
        return this.engine!;
      },
      contextWindow: (id) => this.model(id)?.contextWindow ?? 4096,
      deviceLost: (id) => {
        // The engine is unusable: end its worker so the next stage loads afresh.
        this.workerFailure = `The GPU was lost while ${id} ran; the model is loaded again for the next correction.`;
        for (const m of this.resident) Object.assign(this.statuses[m]!, { state: 'unknown' });
        this.terminate();
      },
    });
  }
}

/** Bytes web-llm's Cache API storage holds under a model's URL. */
async function cachedBytes(prefix: string): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  let total = 0;
  for (const name of ['webllm/model', 'webllm/config']) {
    if (!(await caches.has(name))) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (!request.url.startsWith(prefix)) continue;
      const response = await cache.match(request);
      const length = Number(response?.headers.get('content-length') ?? Number.NaN);
      total += Number.isFinite(length) ? length : ((await response?.blob())?.size ?? 0);
    }
  }
  return total;
}

export const models = new ModelsState();
