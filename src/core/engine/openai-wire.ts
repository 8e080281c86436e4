/** Wire types of the OpenAI-compatible chat completions API (the parts we use). */

export interface WireChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature: number;
  top_p: number;
  max_tokens: number;
  stop: string[];
  stream: boolean;
  stream_options?: { include_usage: boolean };
}

export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** One `data:` payload of a streamed response. */
export interface WireStreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: WireUsage | null;
  error?: { message?: string };
}

/** A non-streamed response (some servers ignore `stream: true`). */
export interface WireCompletion {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: WireUsage | null;
}
