import type { ChatEngine, ChatUsage } from '../engine/chat-engine';
import {
  INVALID_RESPONSE,
  isInvalidResponse,
  MAX_INVALID_RETRIES,
  type StageDecoding,
  stageDecoding,
  stageMessages,
} from '../share/decoding';
import type { StageName } from '../share/stages';

export { type StageDecoding, stageDecoding, stageMessages };

/** What one request of a stage gave. */
export interface StageAnswer {
  response: string;
  attempts: number;
  /** Summed over attempts (what the server spent). */
  usage?: ChatUsage;
  durationMs: number;
  firstTokenMs?: number;
}

/**
 * Sends one stage's prompt and collects the streamed answer; an invalid (≤ 1 character)
 * answer is retried, and after `maxRetries` retries recorded as `[INVALID]`, as the reference
 * does. Engine errors propagate (the caller decides to retry or stop).
 */
export async function requestStage(
  engine: ChatEngine,
  stage: StageName,
  model: string,
  prompt: string,
  options: {
    idx: number;
    signal?: AbortSignal;
    maxRetries?: number;
    now?: () => number;
    decoding?: StageDecoding;
    onToken?: (text: string) => void;
  },
): Promise<StageAnswer> {
  const now = options.now ?? (() => Date.now());
  const decoding = options.decoding ?? stageDecoding(stage);
  const maxRetries = options.maxRetries ?? MAX_INVALID_RETRIES;
  const messages = stageMessages(stage, prompt);
  const started = now();
  let usage: ChatUsage | undefined;
  let firstTokenMs: number | undefined;
  let response = '';
  let attempts = 0;
  for (;;) {
    attempts++;
    response = '';
    const requestAt = now();
    for await (const chunk of engine.chat({
      model,
      messages,
      ...decoding,
      signal: options.signal,
      meta: { stage, idx: options.idx },
    })) {
      if (chunk.type === 'delta') {
        if (firstTokenMs === undefined && chunk.text) firstTokenMs = now() - requestAt;
        response += chunk.text;
        options.onToken?.(chunk.text);
      } else if (chunk.usage) {
        usage = {
          promptTokens: (usage?.promptTokens ?? 0) + chunk.usage.promptTokens,
          completionTokens: (usage?.completionTokens ?? 0) + chunk.usage.completionTokens,
        };
      }
    }
    // The reference retries SHARE's models only; stage 5's answer is taken as it comes.
    if (stage === 'generator' || !isInvalidResponse(response)) break;
    if (attempts > maxRetries) {
      response = INVALID_RESPONSE;
      break;
    }
  }
  return { response, attempts, usage, durationMs: now() - started, firstTokenMs };
}
