import { describe, expect, it } from 'vitest';
import type { ChatChunk, ChatRequest } from './chat-engine';
import { EngineAbortError, ReplayMissingError } from './errors';
import { ReplayEngine } from './replay';

const req = (stage: string, idx: number, signal?: AbortSignal): ChatRequest => ({
  model: 'm',
  messages: [],
  temperature: 0,
  topP: 1,
  maxTokens: 10,
  stop: [],
  meta: { stage, idx },
  signal,
});

const recording = new Map([
  [
    'bam',
    new Map([[4, { response: 'abcdefghij', usage: { promptTokens: 9, completionTokens: 3 } }]]),
  ],
]);

describe('ReplayEngine', () => {
  it('streams the recorded answer of the stage and item in chunks, then its usage', async () => {
    const out: ChatChunk[] = [];
    for await (const c of new ReplayEngine(recording, 4).chat(req('bam', 4))) out.push(c);
    expect(out).toEqual([
      { type: 'delta', text: 'abcd' },
      { type: 'delta', text: 'efgh' },
      { type: 'delta', text: 'ij' },
      { type: 'done', usage: { promptTokens: 9, completionTokens: 3 }, finishReason: 'stop' },
    ]);
  });

  it('names the stage and item it has no answer for', async () => {
    const run = async () => {
      for await (const _ of new ReplayEngine(recording).chat(req('sam', 4))) {
        // drain
      }
    };
    await expect(run()).rejects.toThrow(ReplayMissingError);
    await expect(run()).rejects.toThrow('no recorded response for stage sam, item 4');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = async () => {
      for await (const c of new ReplayEngine(recording, 2).chat(req('bam', 4, controller.signal))) {
        if (c.type === 'delta') seen.push(c.text);
        controller.abort();
      }
    };
    await expect(run()).rejects.toThrow(EngineAbortError);
    expect(seen).toEqual(['ab']);
  });
});
