import type { ChatMessage } from '../engine/chat-engine';
import { pyStrip } from './extract';
import { SYSTEM_PROMPT } from './prompts';
import type { StageName } from './stages';

/** Decoding parameters of the reference run (vLLM SamplingParams): greedy, 3000 tokens. */
export const GREEDY_DECODING = {
  temperature: 0,
  topP: 1,
  maxTokens: 3000,
  /** Plus the model's own EOS, which every engine stops at anyway. */
  stop: ['</FINAL_ANSWER>', '<|EOT|>'],
} as const;

/** Retries after an invalid (empty) response before the reference records `[INVALID]`. */
export const MAX_INVALID_RETRIES = 10;

/** What the reference records when every attempt was invalid. */
export const INVALID_RESPONSE = '[INVALID]';

/** A response is invalid when at most one character is left after Python's strip(). */
export function isInvalidResponse(text: string): boolean {
  return [...pyStrip(text)].length <= 1;
}

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
