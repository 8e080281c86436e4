import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ChatChunk, ChatEngine, ChatRequest, ChatUsage } from './chat-engine';
import {
  EngineAbortError,
  EngineError,
  EngineHttpError,
  EngineNetworkError,
  EngineProtocolError,
  EngineTimeoutError,
} from './errors';
import type { WireChatRequest, WireCompletion, WireStreamChunk, WireUsage } from './openai-wire';

/** Time limits of one request, in milliseconds (0 = none). */
export interface HttpTimeouts {
  /** Until the response headers arrive. */
  connectMs: number;
  /** Longest silence between two pieces of the stream. */
  idleMs: number;
  /** The whole request. */
  totalMs: number;
}

export interface OpenAiHttpOptions {
  /** Base URL up to and including `/v1`, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  apiKey?: string;
  timeouts?: Partial<HttpTimeouts>;
  /** Injectable for tests and for environments without a global fetch. */
  fetch?: typeof fetch;
  /** Largest single SSE event accepted, in characters (guards against garbage streams). */
  maxEventChars?: number;
}

const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 30_000, idleMs: 120_000, totalMs: 600_000 };

/**
 * Chat completions over HTTP against any OpenAI-compatible server (vLLM, llama.cpp,
 * Ollama, hosted APIs), streamed over server-sent events, with usage, abort and time
 * limits. Failures surface as EngineError subclasses whose messages name the URL.
 */
export class OpenAiHttpEngine implements ChatEngine {
  private readonly url: string;
  private readonly timeouts: HttpTimeouts;

  constructor(private readonly options: OpenAiHttpOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  async *chat(request: ChatRequest): AsyncIterable<ChatChunk> {
    const body: WireChatRequest = {
      model: request.model,
      messages: request.messages,
      temperature: request.temperature,
      top_p: request.topP,
      max_tokens: request.maxTokens,
      stop: request.stop,
      stream: true,
      stream_options: { include_usage: true },
    };
    const guard = new RequestGuard(request.signal, this.timeouts);
    try {
      const response = await this.send(body, guard);
      const type = response.headers.get('content-type') ?? '';
      if (!type.includes('text/event-stream')) {
        yield* this.readWhole(response, guard);
        return;
      }
      yield* this.readStream(response, guard);
    } catch (error) {
      throw guard.explain(error, this.url);
    } finally {
      guard.dispose();
    }
  }

  private async send(body: WireChatRequest, guard: RequestGuard): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    guard.phase('connect');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await doFetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: guard.signal,
      });
    } catch (error) {
      if (guard.signal.aborted) throw error;
      throw new EngineNetworkError(`cannot reach ${this.url}: ${causeOf(error)}`);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new EngineHttpError(response.status, this.url, text.trim());
    }
    return response;
  }

  private async *readWhole(response: Response, guard: RequestGuard): AsyncIterable<ChatChunk> {
    guard.phase('idle');
    const text = await response.text();
    let parsed: WireCompletion;
    try {
      parsed = JSON.parse(text) as WireCompletion;
    } catch {
      throw new EngineProtocolError(`${this.url} did not answer with JSON or an event stream`);
    }
    const choice = parsed.choices?.[0];
    if (!choice || typeof choice.message?.content !== 'string') {
      throw new EngineProtocolError(`${this.url} answered without choices[0].message.content`);
    }
    yield { type: 'delta', text: choice.message.content };
    yield {
      type: 'done',
      usage: toUsage(parsed.usage),
      finishReason: choice.finish_reason ?? undefined,
    };
  }

  private async *readStream(response: Response, guard: RequestGuard): AsyncIterable<ChatChunk> {
    if (!response.body) throw new EngineProtocolError(`${this.url} sent an empty stream`);
    const events: EventSourceMessage[] = [];
    let parseError: Error | undefined;
    const parser = createParser({
      onEvent: (event) => events.push(event),
      onError: (error) => {
        parseError = error;
      },
      maxBufferSize: this.options.maxEventChars ?? 1_000_000,
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let usage: ChatUsage | undefined;
    let finishReason: string | undefined;
    let done = false;
    try {
      while (!done) {
        guard.phase('idle');
        let read: ReadableStreamReadResult<string>;
        try {
          read = await reader.read();
        } catch (error) {
          if (guard.signal.aborted) throw error;
          throw new EngineNetworkError(
            `the connection to ${this.url} dropped mid-stream: ${causeOf(error)}`,
          );
        }
        if (read.done) break;
        parser.feed(read.value);
        if (parseError)
          throw new EngineProtocolError(
            `${this.url} sent a malformed event stream: ${parseError.message}`,
          );
        for (const event of events.splice(0)) {
          if (event.data === '[DONE]') {
            done = true;
            break;
          }
          const chunk = this.parseChunk(event.data);
          if (chunk.error)
            throw new EngineProtocolError(
              `${this.url} reported: ${chunk.error.message ?? 'an error'}`,
            );
          usage = toUsage(chunk.usage) ?? usage;
          const choice = chunk.choices?.[0];
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          const text = choice?.delta?.content;
          if (typeof text === 'string' && text) yield { type: 'delta', text };
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
    if (!done && !finishReason) {
      throw new EngineNetworkError(
        `the stream from ${this.url} ended before the answer was complete`,
      );
    }
    yield { type: 'done', usage, finishReason };
  }

  private parseChunk(data: string): WireStreamChunk {
    try {
      const parsed: unknown = JSON.parse(data);
      if (parsed === null || typeof parsed !== 'object') throw new Error('not an object');
      return parsed as WireStreamChunk;
    } catch {
      throw new EngineProtocolError(
        `${this.url} sent an event that is not JSON: ${data.slice(0, 120)}`,
      );
    }
  }
}

function toUsage(usage: WireUsage | null | undefined): ChatUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number') return undefined;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? 0 };
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** Combines the caller's AbortSignal with the time limits, and says which one fired. */
class RequestGuard {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly totalTimer: ReturnType<typeof setTimeout> | undefined;
  private fired: 'user' | 'connect' | 'idle' | 'total' | undefined;
  private readonly onUserAbort = (): void => this.fire('user');

  constructor(
    private readonly user: AbortSignal | undefined,
    private readonly limits: HttpTimeouts,
  ) {
    if (user?.aborted) this.fire('user');
    user?.addEventListener('abort', this.onUserAbort, { once: true });
    if (limits.totalMs > 0) this.totalTimer = setTimeout(() => this.fire('total'), limits.totalMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the timer of the current phase. */
  phase(kind: 'connect' | 'idle'): void {
    clearTimeout(this.timer);
    const ms = kind === 'connect' ? this.limits.connectMs : this.limits.idleMs;
    if (ms > 0) this.timer = setTimeout(() => this.fire(kind), ms);
  }

  private fire(why: 'user' | 'connect' | 'idle' | 'total'): void {
    if (this.fired) return;
    this.fired = why;
    this.controller.abort();
  }

  /** Turns whatever was thrown into the EngineError that says what happened. */
  explain(error: unknown, url: string): EngineError {
    switch (this.fired) {
      case 'user':
        return new EngineAbortError();
      case 'connect':
        return new EngineTimeoutError(`${url} did not answer within ${this.limits.connectMs} ms`);
      case 'idle':
        return new EngineTimeoutError(`${url} sent nothing for ${this.limits.idleMs} ms`);
      case 'total':
        return new EngineTimeoutError(`${url} did not finish within ${this.limits.totalMs} ms`);
    }
    if (error instanceof EngineError) return error;
    return new EngineNetworkError(`request to ${url} failed: ${causeOf(error)}`);
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.totalTimer);
    this.user?.removeEventListener('abort', this.onUserAbort);
  }
}
