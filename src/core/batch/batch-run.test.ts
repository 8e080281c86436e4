import { describe, expect, it } from 'vitest';
import type { ChatChunk, ChatEngine, ChatRequest } from '../engine/chat-engine';
import { EngineHttpError, EngineNetworkError } from '../engine/errors';
import type { Schema } from '../schema/schema';
import type { ShareItem } from '../share/item';
import type { StageName } from '../share/stages';
import { BatchError, type Checkpoint, runBatch, type StageResult } from './batch-run';

const schema: Schema = {
  dbId: 'db',
  tables: [
    {
      name: 'singer',
      columns: [
        { name: 'name', type: 'text' },
        { name: 'age', type: 'int' },
      ],
      primaryKey: [],
    },
  ],
  foreignKeys: [],
};

const items: ShareItem[] = [0, 1, 2, 3].map((idx) => ({
  idx,
  dbId: 'db',
  question: `question ${idx}`,
  evidence: '',
  initialSql: `SELECT name FROM singer WHERE age > ${idx}`,
}));

/** A fake server: answers by stage, can fail or answer empty on chosen calls. */
class FakeEngine implements ChatEngine {
  calls: { stage: StageName; idx: number; model: string; system: boolean }[] = [];
  answer: (stage: StageName, idx: number, call: number) => string | Error = (stage) =>
    stage === 'generator' ? '```sqlite\nSELECT 1\n```' : '```SR\ndf1 = df.select(singer.name)\n```';

  async *chat(request: ChatRequest): AsyncIterable<ChatChunk> {
    const stage = request.meta!.stage as StageName;
    const idx = request.meta!.idx;
    this.calls.push({
      stage,
      idx,
      model: request.model,
      system: request.messages[0]!.role === 'system',
    });
    const a = this.answer(stage, idx, this.calls.length);
    if (a instanceof Error) throw a;
    yield { type: 'delta', text: a };
    yield { type: 'done', usage: { promptTokens: 10, completionTokens: a.length } };
  }
}

class MemoryCheckpoint implements Checkpoint {
  saved = new Map<StageName, Map<number, StageResult>>();
  load(stage: StageName): Map<number, StageResult> {
    return new Map(this.saved.get(stage) ?? []);
  }
  save(stage: StageName, result: StageResult): void {
    const m = this.saved.get(stage) ?? new Map();
    m.set(result.idx, result);
    this.saved.set(stage, m);
  }
}

const models = { bam: 'B', sam: 'S', lom: 'L', generator: 'G' };

describe('runBatch', () => {
  it('runs stage by stage over the batch, each stage on its model, and checkpoints every item', async () => {
    const engine = new FakeEngine();
    const checkpoint = new MemoryCheckpoint();
    const outcome = await runBatch(items, {
      engine,
      models,
      schemaFor: () => schema,
      checkpoint,
      concurrency: 3,
    });
    const order = engine.calls.map((c) => c.stage);
    expect(order).toEqual([
      ...Array(4).fill('bam'),
      ...Array(4).fill('mask'),
      ...Array(4).fill('sam'),
      ...Array(4).fill('lom'),
      ...Array(4).fill('generator'),
    ]);
    expect(engine.calls.map((c) => c.model)).toEqual(
      ['B', 'B', 'S', 'L', 'G'].flatMap((m) => Array(4).fill(m)),
    );
    expect(engine.calls.filter((c) => !c.system).map((c) => c.stage)).toEqual(
      Array(4).fill('generator'),
    );
    expect([...outcome.finalSql!.values()]).toEqual(Array(4).fill('SELECT 1'));
    expect(outcome.augmented.get(0)).toEqual([
      ['singer', 'name'],
      ['singer', 'age'],
    ]);
    expect(outcome.generatorPrompts.get(2)).toContain('question = "question 2"');
    for (const stage of ['bam', 'mask', 'sam', 'lom', 'generator'] as const) {
      expect([...checkpoint.saved.get(stage)!.keys()].sort()).toEqual([0, 1, 2, 3]);
    }
  });

  it("gives a deterministic stage 5 LOM's trajectory and the one read from the SQL", async () => {
    const engine = new FakeEngine();
    engine.answer = (stage, idx) =>
      stage === 'lom'
        ? `\`\`\`SR\ndf1 = df.where(element = singer.age, filter = '> ${idx}')\n\`\`\``
        : '```SR\ndf1 = df.select(singer.name)\n```';
    const seen: [string, string][] = [];
    const outcome = await runBatch(items.slice(0, 2), {
      engine,
      models,
      schemaFor: () => schema,
      checkpoint: new MemoryCheckpoint(),
      deterministic: {
        bam: async (item) => `df1 = df.where(element = singer.age, filter = '> ${item.idx}')`,
        generator: async (item, _schema, sr, stage1Sr) => {
          seen.push([sr, stage1Sr]);
          return sr === stage1Sr ? item.initialSql : undefined;
        },
      },
    });
    expect(seen).toEqual(
      [0, 1].map((i) => Array(2).fill(`df1 = df.where(element = singer.age, filter = '> ${i}')`)),
    );
    expect([...outcome.finalSql!.values()]).toEqual([items[0]!.initialSql, items[1]!.initialSql]);
    expect(engine.calls.map((c) => c.stage)).toEqual(['mask', 'mask', 'sam', 'sam', 'lom', 'lom']);
  });

  it('does not ask again for items already in the checkpoint', async () => {
    const first = new FakeEngine();
    const checkpoint = new MemoryCheckpoint();
    await runBatch(items.slice(0, 2), {
      engine: first,
      models,
      schemaFor: () => schema,
      checkpoint,
    });
    const second = new FakeEngine();
    await runBatch(items, { engine: second, models, schemaFor: () => schema, checkpoint });
    expect(second.calls.every((c) => c.idx >= 2)).toBe(true);
    expect(second.calls).toHaveLength(10);
  });

  it('retries empty answers of SHARE models, records [INVALID] after the retries, not for stage 5', async () => {
    const engine = new FakeEngine();
    engine.answer = (stage) =>
      stage === 'mask' ? ' ' : stage === 'generator' ? '' : '```SR\nx = 1\n```';
    const outcome = await runBatch(items.slice(0, 1), {
      engine,
      models,
      schemaFor: () => schema,
      checkpoint: new MemoryCheckpoint(),
      maxRetries: 2,
    });
    expect(outcome.stages.mask![0]).toMatchObject({ response: '[INVALID]', attempts: 3 });
    expect(outcome.stages.generator![0]).toMatchObject({ response: '', attempts: 1 });
    expect(outcome.stages.mask![0]!.usage).toEqual({ promptTokens: 30, completionTokens: 3 });
  });

  it('retries a failing server, and stops at once on a refused request', async () => {
    const engine = new FakeEngine();
    engine.answer = (stage, _idx, call) =>
      call <= 2
        ? new EngineNetworkError('connection refused')
        : stage === 'sam'
          ? new EngineHttpError(404, 'u', 'no model')
          : '```SR\nx\n```';
    const checkpoint = new MemoryCheckpoint();
    const run = runBatch(items.slice(0, 1), {
      engine,
      models,
      schemaFor: () => schema,
      checkpoint,
      retryDelayMs: 1,
    });
    await expect(run).rejects.toThrow(BatchError);
    await expect(run).rejects.toThrow(/stage sam, item 0: u answered HTTP 404/);
    expect(engine.calls.map((c) => c.stage)).toEqual(['bam', 'bam', 'bam', 'mask', 'sam']);
    expect(checkpoint.saved.get('mask')?.size).toBe(1);
  });
});
