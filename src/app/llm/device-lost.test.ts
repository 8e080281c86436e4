import type { WebWorkerMLCEngine } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../core/engine/errors';
import { WebLlmChatEngine } from './webllm-chat-engine';

/** An engine whose stream yields one chunk, then fails the way web-llm does on device loss. */
function losingEngine(): WebWorkerMLCEngine {
  const lost = Object.assign(new Error('Device was lost.'), { name: 'DeviceLostError' });
  return {
    interruptGenerate: () => {},
    chat: {
      completions: {
        create: async () =>
          (async function* () {
            yield { choices: [{ index: 0, delta: { content: 'df1 = ' } }] };
            throw lost;
          })(),
      },
    },
  } as unknown as WebWorkerMLCEngine;
}

describe('web-llm engine: GPU device lost mid-generation', () => {
  it('fails the stage with a message and tells the host to rebuild the engine', async () => {
    const lostFor: string[] = [];
    const engine = new WebLlmChatEngine({
      ensure: async () => losingEngine(),
      contextWindow: () => 4096,
      deviceLost: (id) => lostFor.push(id),
    });
    const received: string[] = [];
    const run = async (): Promise<void> => {
      for await (const chunk of engine.chat({
        model: 'share-bam-q4f32_1-MLC',
        messages: [{ role: 'user', content: 'SELECT 1' }],
        temperature: 0,
        topP: 1,
        maxTokens: 64,
        stop: [],
      })) {
        if (chunk.type === 'delta') received.push(chunk.text);
      }
    };
    await expect(run()).rejects.toThrow(EngineError);
    await expect(run()).rejects.toThrow(/The GPU was lost while running share-bam-q4f32_1-MLC/);
    expect(received[0]).toBe('df1 = ');
    expect(lostFor).toEqual(['share-bam-q4f32_1-MLC', 'share-bam-q4f32_1-MLC']);
  });
});
