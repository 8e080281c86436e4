import { type AdapterLimits, adapterProblems } from '../../core/manifest/gpu-requirements';

/** What this browser's WebGPU offers, checked before any model download starts. */
export interface GpuReport {
  available: boolean;
  /** Why WebGPU cannot be used, for the user (set when `available` is false). */
  reason?: string;
  features: string[];
  hasShaderF16: boolean;
  /** e.g. "google swiftshader". */
  adapter: string;
  /** Limits below what web-llm needs (empty when fine). */
  problems: string[];
  maxBufferMB?: number;
}

interface GpuAdapterLike {
  features: { has(name: string): boolean; forEach(cb: (f: string) => void): void };
  limits: Record<string, number>;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** Asks the browser for a WebGPU adapter and says what it can and cannot do. */
export async function probeWebGpu(): Promise<GpuReport> {
  const none = (reason: string): GpuReport => ({
    available: false,
    reason,
    features: [],
    hasShaderF16: false,
    adapter: '',
    problems: [],
  });
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!window.isSecureContext) {
    return none(
      'WebGPU needs a secure context (https:// or http://localhost); this page is not one.',
    );
  }
  if (!gpu) return none('This browser does not offer WebGPU (navigator.gpu is missing).');
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return none(`WebGPU refused to give an adapter: ${(error as Error).message}`);
  }
  if (!adapter) {
    return none(
      'WebGPU is present but found no usable GPU adapter (disabled, blocklisted or no GPU).',
    );
  }
  const features: string[] = [];
  adapter.features.forEach((f) => {
    features.push(f);
  });
  const limits = adapter.limits as unknown as AdapterLimits;
  const problems = adapterProblems(limits);
  const info = adapter.info ?? {};
  return {
    available: problems.length === 0,
    reason: problems.length
      ? `This GPU adapter is too limited for web-llm: ${problems.join('; ')}.`
      : undefined,
    features: features.sort(),
    hasShaderF16: adapter.features.has('shader-f16'),
    adapter:
      [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unknown adapter',
    problems,
    maxBufferMB: Math.floor(limits.maxBufferSize / (1 << 20)),
  };
}
