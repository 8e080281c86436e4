import type { ChatEngine, ChatMessage, ChatUsage } from '../engine/chat-engine';
import {
  GREEDY_DECODING,
  INVALID_RESPONSE,
  isInvalidResponse,
  MAX_INVALID_RETRIES,
} from '../share/decoding';
import { SYSTEM_PROMPT } from '../share/prompts';
import type { StageName } from '../share/stages';

/** Decoding of one stage's request. */
export interface StageDecoding {
  temperature: number;
  topP: number;
  maxTokens: number;
  stop: string[];
}

/** The reference's decoding: SHARE models greedy with 3000 tokens and stop strings; the
 * generator through `api_infer` (temperature 0, top_p 1, 1024 tokens, no stop). */
export function stageDecoding(stage: StageName, generatorMaxTokens = 1024): StageDecoding {
  if (stage === 'generator')
    return { temperature: 0, topP: 1, maxTokens: generatorMaxTokens, stop: [] };
  return {
    temperature: GREEDY_DECODING.temperature,
    topP: GREEDY_DECODING.topP,
    maxTokens: GREEDY_DECODING.maxTokens,
    stop: [...GREEDY_DECODING.stop],
  };
}

/** The messages of a stage: system + user for SHARE's models, the user message alone for stage 5. */
export function stageMessages(stage: StageName, prompt: string): ChatMessage[] {
  return stage === 'generator'
    ? [{ role: 'user', content: prompt }]
    : [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: prompt },
      ];
}

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
