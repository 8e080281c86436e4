/** The README section users are sent to when model files are missing. */
export const PREPARE_SECTION = 'README section "Preparing the SHARE models"';

/** A model's files are not where the manifest says. */
export class ModelFilesNotFoundError extends Error {
  override name = 'ModelFilesNotFoundError';
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`model files not found at ${url} (${detail}). See the ${PREPARE_SECTION}.`);
  }
}

/** A model cannot run on this GPU or browser. */
export class ModelUnsupportedError extends Error {
  override name = 'ModelUnsupportedError';
}

/** Turns whatever web-llm threw into one line for the user (never a stack trace). */
export function explainWebLlmError(error: unknown, modelId: string): string {
  const e = error instanceof Error ? error : new Error(String(error));
  const message = e.message.split('\n')[0] ?? '';
  switch (e.name) {
    case 'ShaderF16SupportError':
      return `${modelId} needs the WebGPU feature shader-f16, which this GPU lacks: choose its q4f32 variant.`;
    case 'DeviceLostError':
      return `The GPU was lost while running ${modelId} (out of memory?). Close other tabs or choose a smaller model, then load again.`;
    case 'ContextWindowSizeExceededError':
      return `The prompt does not fit the context window of ${modelId}: ${message}`;
    case 'WebGPUNotAvailableError':
    case 'WebGPUNotFoundError':
      return `WebGPU is not available in this browser: ${message}`;
    default:
      if (/WebAssembly\.instantiate|CompileError/.test(message)) {
        return `${modelId}: its model library is not a usable WebAssembly file (${message}). Check modelLibUrl in models-manifest.json and the ${PREPARE_SECTION}.`;
      }
      return `${modelId}: ${message || e.name}`;
  }
}
