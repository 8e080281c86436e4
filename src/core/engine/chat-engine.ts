/** A chat message of the OpenAI-compatible wire format. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Which pipeline stage and item a request serves (engines may use it; replay must). */
export interface ChatRequestMeta {
  stage: string;
  idx: number;
}

/** One chat completion request. Models are addressed by the id the engine knows. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  topP: number;
  maxTokens: number;
  stop: string[];
  signal?: AbortSignal;
  meta?: ChatRequestMeta;
}

/** Token usage reported by the engine for one completion. */
export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A piece of a streamed completion: text deltas, then one `done`. */
export type ChatChunk =
  | { type: 'delta'; text: string }
  | { type: 'done'; usage?: ChatUsage; finishReason?: string };

/**
 * Anything that answers chat requests by streaming text: web-llm in a worker, an
 * OpenAI-compatible HTTP server, or a replay of recorded responses. Implementations throw
 * EngineError subclasses (never bare errors) and stop promptly when `signal` aborts.
 */
export interface ChatEngine {
  chat(request: ChatRequest): AsyncIterable<ChatChunk>;
}
