import type { WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import type { ChatChunk, ChatEngine, ChatRequest } from '../../core/engine/chat-engine';
import { EngineAbortError, EngineError } from '../../core/engine/errors';
import { explainWebLlmError } from './model-errors';

/** Characters per token assumed when checking a prompt against a context window (cautious). */
const CHARS_PER_TOKEN = 3.2;

/** An estimate of a chat's prompt tokens, erring on the high side. */
export function estimatePromptTokens(messages: ChatRequest['messages']): number {
  const chars = messages.reduce((n, m) => n + m.content.length, 0);
  // Chat template tokens per message.
  return Math.ceil(chars / CHARS_PER_TOKEN) + 8 * messages.length;
}

/** What the engine needs from the model manager. */
export interface WebLlmHost {
  /** Makes sure `modelId` is resident (loading it if needed) and returns the engine. */
  ensure(modelId: string, signal?: AbortSignal): Promise<WebWorkerMLCEngine>;
  contextWindow(modelId: string): number;
}

/**
 * The core ChatEngine over web-llm in its worker. Cancelling interrupts generation and keeps
 * draining the stream (web-llm's interrupt is engine-wide and the stream must end cleanly).
 */
export class WebLlmChatEngine implements ChatEngine {
  constructor(private readonly host: WebLlmHost) {}

  async *chat(request: ChatRequest): AsyncIterable<ChatChunk> {
    const context = this.host.contextWindow(request.model);
    const estimate = estimatePromptTokens(request.messages);
    if (estimate >= context) {
      throw new EngineError(
        `the prompt (about ${estimate} tokens) does not fit the ${context}-token context window of ${request.model}; shorten the SQL, question or evidence, or use a database with fewer columns`,
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
        max_tokens: Math.max(1, Math.min(request.maxTokens, context - estimate)),
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
      throw new EngineError(explainWebLlmError(error, request.model));
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
    }
  }
}
