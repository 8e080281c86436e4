import { pyStrip } from './extract';

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
