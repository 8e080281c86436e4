/** The adapter limits web-llm 0.2.86 requests (its `detectGPUDevice`), with its fallbacks. */
export const WEBLLM_MIN_LIMITS = {
  maxBufferSize: 1 << 28,
  maxStorageBufferBindingSize: 1 << 27,
  maxComputeWorkgroupStorageSize: 32 << 10,
  maxStorageBuffersPerShaderStage: 10,
} as const;

export type AdapterLimits = Record<keyof typeof WEBLLM_MIN_LIMITS, number>;

/** Problems that stop web-llm on this adapter, in words; empty when it can run. */
export function adapterProblems(limits: AdapterLimits): string[] {
  const problems: string[] = [];
  for (const [name, need] of Object.entries(WEBLLM_MIN_LIMITS) as [keyof AdapterLimits, number][]) {
    if (!(limits[name] >= need)) {
      problems.push(`${name} is ${limits[name]}, web-llm needs at least ${need}`);
    }
  }
  return problems;
}
