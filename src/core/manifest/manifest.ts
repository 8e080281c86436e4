/** What a model does in SHARE. */
export type ModelRole = 'bam' | 'sam' | 'lom' | 'generator';

export const MODEL_ROLES: readonly ModelRole[] = ['bam', 'sam', 'lom', 'generator'];

/** One model of `models-manifest.json`. */
export interface ManifestModel {
  /** The id web-llm knows the model by (unique in the manifest). */
  id: string;
  role: ModelRole;
  displayName: string;
  baseModel: string;
  parametersB: number;
  quantization: string;
  /** Folder holding `mlc-chat-config.json`, the tokenizer and the weight shards. */
  modelUrl: string;
  /** The WebGPU model library (`.wasm`) for this architecture and quantization. */
  modelLibUrl: string;
  vramRequiredMB: number;
  contextWindow: number;
  /** WebGPU features the library needs, e.g. `shader-f16` for q4f16 builds. */
  requiredFeatures: string[];
  license: string;
  source: string;
}

/** The parsed manifest. */
export interface Manifest {
  version: number;
  models: ManifestModel[];
}

/** The manifest is malformed; the message names the entry and field at fault. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

const KNOWN_FEATURES = new Set(['shader-f16']);

function fail(where: string, what: string): never {
  throw new ManifestError(`models-manifest.json: ${where}: ${what}`);
}

function text(where: string, value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    fail(where, `"${field}" must be a non-empty string`);
  return value;
}

function positive(where: string, value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(where, `"${field}" must be a positive number`);
  }
  return value;
}

function url(where: string, value: unknown, field: string): string {
  const s = text(where, value, field);
  if (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^https?:\/\//i.test(s)) {
    fail(where, `"${field}" must be an http(s) URL or a path relative to the page, not "${s}"`);
  }
  return s;
}

/** Validates the parsed JSON of `models-manifest.json`; throws ManifestError saying what is wrong. */
export function parseManifest(data: unknown): Manifest {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    fail('top level', 'must be an object with "version" and "models"');
  }
  const raw = data as { version?: unknown; models?: unknown };
  if (raw.version !== 1)
    fail('top level', `"version" must be 1 (found ${JSON.stringify(raw.version)})`);
  if (!Array.isArray(raw.models) || raw.models.length === 0) {
    fail('top level', '"models" must be a non-empty list');
  }
  const seen = new Set<string>();
  const models = raw.models.map((entry: unknown, i: number): ManifestModel => {
    if (entry === null || typeof entry !== 'object') fail(`models[${i}]`, 'must be an object');
    const m = entry as Record<string, unknown>;
    const id = text(`models[${i}]`, m.id, 'id');
    const where = `model "${id}"`;
    if (seen.has(id)) fail(where, 'the id appears twice');
    seen.add(id);
    const role = m.role;
    if (typeof role !== 'string' || !(MODEL_ROLES as string[]).includes(role)) {
      fail(where, `"role" must be one of ${MODEL_ROLES.join(', ')}`);
    }
    const requiredFeatures = m.requiredFeatures ?? [];
    if (!Array.isArray(requiredFeatures) || requiredFeatures.some((f) => typeof f !== 'string')) {
      fail(where, '"requiredFeatures" must be a list of strings');
    }
    for (const f of requiredFeatures as string[]) {
      if (!KNOWN_FEATURES.has(f)) fail(where, `unknown required feature "${f}"`);
    }
    const quantization = text(where, m.quantization, 'quantization');
    if (
      quantization.startsWith('q4f16') &&
      !(requiredFeatures as string[]).includes('shader-f16')
    ) {
      fail(where, `a ${quantization} model must declare "requiredFeatures": ["shader-f16"]`);
    }
    const modelLibUrl = url(where, m.modelLibUrl, 'modelLibUrl');
    if (!/\.wasm(\?.*)?$/.test(modelLibUrl)) fail(where, '"modelLibUrl" must name a .wasm file');
    return {
      id,
      role: role as ModelRole,
      displayName: text(where, m.displayName, 'displayName'),
      baseModel: text(where, m.baseModel, 'baseModel'),
      parametersB: positive(where, m.parametersB, 'parametersB'),
      quantization,
      modelUrl: url(where, m.modelUrl, 'modelUrl'),
      modelLibUrl,
      vramRequiredMB: positive(where, m.vramRequiredMB, 'vramRequiredMB'),
      contextWindow: positive(where, m.contextWindow, 'contextWindow'),
      requiredFeatures: requiredFeatures as string[],
      license: text(where, m.license, 'license'),
      source: text(where, m.source, 'source'),
    };
  });
  for (const role of ['bam', 'sam', 'lom'] as const) {
    if (!models.some((m) => m.role === role)) fail('models', `no model has role "${role}"`);
  }
  return { version: 1, models };
}

/** A model's URLs made absolute against the page, in the form web-llm needs. */
export interface ResolvedUrls {
  /** The folder the user prepares (absolute, ends with `/`). */
  folderUrl: string;
  /** What web-llm fetches files from: the folder plus `resolve/main/` unless already there. */
  weightsUrl: string;
  modelLibUrl: string;
}

/** Resolves a model's relative URLs against the page URL (so any sub-path works). */
export function resolveModelUrls(model: ManifestModel, pageUrl: string): ResolvedUrls {
  let folderUrl = new URL(model.modelUrl, pageUrl).href;
  if (!folderUrl.endsWith('/')) folderUrl += '/';
  // web-llm appends resolve/main/ to any model URL without a /resolve/<rev>/ part.
  const weightsUrl = /\/resolve\/[^/]+\/$/.test(folderUrl)
    ? folderUrl
    : `${folderUrl}resolve/main/`;
  return { folderUrl, weightsUrl, modelLibUrl: new URL(model.modelLibUrl, pageUrl).href };
}

/** What the GPU offers that decides which variants can run. */
export interface GpuCapabilities {
  features: readonly string[];
}

/** The models this GPU can run: those whose required features it has. */
export function runnableModels(manifest: Manifest, gpu: GpuCapabilities): ManifestModel[] {
  return manifest.models.filter((m) => m.requiredFeatures.every((f) => gpu.features.includes(f)));
}
