import type { ManifestModel, ResolvedUrls } from './manifest';

/** The fields of web-llm's `ModelRecord` we fill (structural, so core does not import web-llm). */
export interface WebLlmModelRecord {
  model: string;
  model_id: string;
  model_lib: string;
  vram_required_MB: number;
  low_resource_required: boolean;
  required_features: string[];
  overrides: { context_window_size: number };
}

/** The web-llm record of a manifest model with its resolved URLs. */
export function toWebLlmRecord(model: ManifestModel, urls: ResolvedUrls): WebLlmModelRecord {
  return {
    model: urls.weightsUrl,
    model_id: model.id,
    model_lib: urls.modelLibUrl,
    vram_required_MB: model.vramRequiredMB,
    low_resource_required: false,
    required_features: [...model.requiredFeatures],
    overrides: { context_window_size: model.contextWindow },
  };
}
