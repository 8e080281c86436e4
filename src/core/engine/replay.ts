import type { ChatChunk, ChatEngine, ChatRequest, ChatUsage } from './chat-engine';
import { EngineAbortError, ReplayMissingError } from './errors';

/** One recorded answer. */
export interface RecordedResponse {
  response: string;
  usage?: ChatUsage;
}

/** Recorded answers by stage name, then by item idx. */
export type Recording = ReadonlyMap<string, ReadonlyMap<number, RecordedResponse>>;

/**
 * Answers each request with the recorded response for its stage and item (`request.meta`),
 * streamed in small chunks so consumers see the same shape as a live model.
 */
export class ReplayEngine implements ChatEngine {
  constructor(
    private readonly recording: Recording,
    private readonly chunkSize = 24,
  ) {}

  async *chat(request: ChatRequest): AsyncIterable<ChatChunk> {
    const { meta, signal } = request;
    if (!meta) throw new ReplayMissingError('replay needs to know the stage and item of a request');
    const recorded = this.recording.get(meta.stage)?.get(meta.idx);
    if (!recorded) {
      throw new ReplayMissingError(
        `no recorded response for stage ${meta.stage}, item ${meta.idx}`,
      );
    }
    const text = recorded.response;
    for (let i = 0; i < text.length; i += this.chunkSize) {
      if (signal?.aborted) throw new EngineAbortError();
      yield { type: 'delta', text: text.slice(i, i + this.chunkSize) };
      await Promise.resolve();
    }
    if (signal?.aborted) throw new EngineAbortError();
    yield { type: 'done', usage: recorded.usage, finishReason: 'stop' };
  }
}
