import type { WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import type { ChatChunk, ChatEngine, ChatRequest } from '../../core/engine/chat-engine';
import { EngineAbortError, EngineError } from '../../core/engine/errors';
import { explainWebLlmError } from './model-errors';

/**
 * Characters per token assumed by the check before sending: more than Phi-3's tokenizer
 * averages on SQL and schemas, so the check only refuses prompts that surely do not fit.
 * web-llm then counts exactly before prefill (ContextWindowSizeExceededError, explained).
 */
const MAX_CHARS_PER_TOKEN = 6;

/** A lower bound on a chat's prompt tokens (so the early check never refuses a fitting prompt). */
export function minimumPromptTokens(messages: ChatRequest['messages']): number {
  const chars = messages.reduce((n, m) => n + m.content.length, 0);
  return Math.floor(chars / MAX_CHARS_PER_TOKEN);
}

/** What the engine needs from the model manager. */
export interface WebLlmHost {
  /** Makes sure `modelId` is resident (loading it if needed) and returns the engine. */
  ensure(modelId: string, signal?: AbortSignal): Promise<WebWorkerMLCEngine>;
  contextWindow(modelId: string): number;
  /** The GPU device was lost while `modelId` ran: the engine must be rebuilt before reuse. */
  deviceLost?(modelId: string): void;
}

/**
 * The core ChatEngine over web-llm in its worker. Cancelling interrupts generation and keeps
 * draining the stream (web-llm's interrupt is engine-wide and the stream must end cleanly).
 */
export class WebLlmChatEngine implements ChatEngine {
  constructor(private readonly host: WebLlmHost) {}

  async *chat(request: ChatRequest): AsyncIterable<ChatChunk> {
    const context = this.host.contextWindow(request.model);
    const atLeast = minimumPromptTokens(request.messages);
    if (atLeast >= context) {
      // Refused before any model is downloaded or loaded for it.
      throw new EngineError(
        `the prompt (at least ${atLeast} tokens) does not fit the ${context}-token context window of ${request.model}; shorten the SQL, question or evidence, or use a database with fewer columns`,
      );
    }
    if (request.signal?.aborted) throw new EngineAbortError();
    let engine: WebWorkerMLCEngine;
    try {
      engine = await this.host.ensure(request.model, request.signal);
    } catch (error) {
      throw new EngineError((error as Error).message);
    }
    if (request.signal?.aborted) throw new EngineAbortError();
    let interrupted = false;
    const onAbort = (): void => {
      interrupted = true;
      engine.interruptGenerate();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const stream = await engine.chat.completions.create({
        model: request.model,
        messages: request.messages,
        temperature: request.temperature,
        top_p: request.topP,
        // web-llm stops generating when the context window is full (finish_reason "length").
        max_tokens: request.maxTokens,
        stop: request.stop,
        stream: true,
        stream_options: { include_usage: true },
      });
      let usage: { promptTokens: number; completionTokens: number } | undefined;
      let finishReason: string | undefined;
      for await (const chunk of stream) {
        if (interrupted) continue; // drain
        const choice = chunk.choices[0];
        const text = choice?.delta?.content;
        if (text) yield { type: 'delta', text };
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) {
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
        }
      }
      if (interrupted) throw new EngineAbortError();
      yield { type: 'done', usage, finishReason };
    } catch (error) {
      if (error instanceof EngineError) throw error;
      if (interrupted || request.signal?.aborted) throw new EngineAbortError();
      if ((error as Error)?.name === 'DeviceLostError') this.host.deviceLost?.(request.model);
      throw new EngineError(explainWebLlmError(error, request.model));
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
  }
}
