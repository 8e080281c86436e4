import { describe, expect, it } from 'vitest';
import { SPIDER2SQLITE } from '../../../test/paths';
import { loadReferenceDir } from '../../cli/reference-dir';
import type { ChatChunk, ChatEngine, ChatRequest } from '../engine/chat-engine';
import { EngineHttpError } from '../engine/errors';
import { ReplayEngine } from '../engine/replay';
import { recordingOf } from '../reference/conformance';
import { schemaForDb } from '../schema/from-tables-json';
import type { Schema } from '../schema/schema';
import type { ShareItem } from './item';
import { correct, type ShareEvent } from './pipeline';
import { SYSTEM_PROMPT } from './prompts';

const ref = loadReferenceDir(SPIDER2SQLITE);
const models = { bam: 'bam', sam: 'sam', lom: 'lom', generator: 'gen' };

async function run(item: ShareItem, engine: ChatEngine, extra = {}): Promise<ShareEvent[]> {
  const events: ShareEvent[] = [];
  const schema = schemaForDb(ref.tables, item.dbId);
  for await (const e of correct(item, { engine, schema, models, ...extra })) events.push(e);
  return events;
}

/** A model stand-in that answers each call from a script, for retry and failure paths. */
class ScriptedEngine implements ChatEngine {
  readonly requests: ChatRequest[] = [];
  constructor(private readonly answer: (call: number, req: ChatRequest) => string | Error) {}
  async *chat(req: ChatRequest): AsyncIterable<ChatChunk> {
    this.requests.push(req);
    const a = this.answer(this.requests.length, req);
    if (a instanceof Error) throw a;
    yield { type: 'delta', text: a };
    yield { type: 'done', usage: { promptTokens: 10, completionTokens: 2 } };
  }
}

const item = ref.items[3]!;
const schema: Schema = schemaForDb(ref.tables, item.dbId);

describe('correct() with recorded responses', () => {
  it('streams four stages plus the generator, then the result', async () => {
    const events = await run(item, new ReplayEngine(recordingOf(ref), 7));
    const kinds = events
      .filter((e) => e.type !== 'token')
      .map((e) => `${e.type}:${'stage' in e ? e.stage : ''}`);
    expect(kinds).toEqual([
      'stage-start:bam',
      'stage-end:',
      'stage-start:mask',
      'stage-end:',
      'stage-start:sam',
      'stage-end:',
      'stage-start:lom',
      'stage-end:',
      'stage-start:generator',
      'stage-end:',
      'result:',
    ]);
    const ends = events.filter((e) => e.type === 'stage-end');
    const recorded = ['bam', 'mask', 'sam', 'lom'] as const;
    recorded.forEach((stage, i) => {
      const record = ends[i]!.record;
      expect(record.stage).toBe(stage);
      expect(record.response).toBe(ref.stages.get(stage)!.get(item.idx)!.response);
      const tokens = events
        .filter((e) => e.type === 'token' && e.stage === stage)
        .map((e) => (e as { text: string }).text)
        .join('');
      expect(tokens).toBe(record.response);
      expect(record.messages).toEqual([
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: record.prompt },
      ]);
    });
    const result = events.at(-1);
    expect(result?.type).toBe('result');
    if (result?.type !== 'result') return;
    expect([...result.result.augmentedSchema].sort()).toEqual(
      [...ref.augmentedSchema!.get(item.idx)!].sort(),
    );
    expect(result.result.finalSql).toBe(ref.finalSql!.get(item.idx));
    // Stage 5 is a single user message, as in the reference run.
    expect(ends[4]!.record.messages).toEqual([
      { role: 'user', content: result.result.generatorPrompt },
    ]);
  });

  it('stops after building the generator prompt when no generator is configured', async () => {
    const events: ShareEvent[] = [];
    for await (const e of correct(item, {
      engine: new ReplayEngine(recordingOf(ref)),
      schema,
      models: { bam: 'b', sam: 's', lom: 'l' },
    }))
      events.push(e);
    const result = events.at(-1);
    expect(result?.type === 'result' && result.result.finalSql).toBeUndefined();
    expect(result?.type === 'result' && result.result.generatorPrompt).toContain(
      'Now generate the valid SQL:',
    );
    expect(events.some((e) => e.type === 'stage-start' && e.stage === 'generator')).toBe(false);
  });
});

describe('correct() failure paths', () => {
  it('retries empty answers, then records [INVALID] after 10 retries', async () => {
    const engine = new ScriptedEngine((call, req) =>
      req.meta?.stage === 'bam' ? (call === 3 ? '```SR\nres = df\n```' : ' \n') : '',
    );
    const events = await run(item, engine);
    const ends = events
      .filter((e) => e.type === 'stage-end')
      .map((e) => e.type === 'stage-end' && e.record);
    expect(ends[0]).toMatchObject({ stage: 'bam', attempts: 3, extracted: 'res = df' });
    expect(ends[0] ? ends[0].usage : undefined).toEqual({ promptTokens: 30, completionTokens: 6 });
    expect(ends[1]).toMatchObject({
      stage: 'mask',
      attempts: 11,
      response: '[INVALID]',
      extracted: '',
    });
    expect(events.filter((e) => e.type === 'retry' && e.stage === 'mask')).toHaveLength(10);
  });

  it('ends with an error naming the stage when the engine fails', async () => {
    const engine = new ScriptedEngine((_call, req) =>
      req.meta?.stage === 'lom'
        ? new EngineHttpError(503, 'http://x/v1/chat/completions', 'busy')
        : '```SR\nx\n```',
    );
    const events = await run(item, engine);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'error', stage: 'lom', cancelled: false });
    expect(last?.type === 'error' && last.message).toContain(
      'Stage lom failed: http://x/v1/chat/completions answered HTTP 503',
    );
  });

  it('explains an unexpected exception instead of throwing it', async () => {
    const engine = new ScriptedEngine(() => new TypeError('boom'));
    const last = (await run(item, engine)).at(-1);
    expect(last).toMatchObject({
      type: 'error',
      stage: 'bam',
      message: 'Stage bam failed: internal error: boom',
    });
  });

  it('honours an AbortSignal mid-stage', async () => {
    const controller = new AbortController();
    const engine = new ReplayEngine(recordingOf(ref), 5);
    const events: ShareEvent[] = [];
    for await (const e of correct(item, { engine, schema, models, signal: controller.signal })) {
      events.push(e);
      if (e.type === 'token' && e.stage === 'sam') controller.abort();
    }
    const last = events.at(-1);
    expect(last).toMatchObject({
      type: 'error',
      stage: 'sam',
      cancelled: true,
      message: 'Cancelled during stage sam',
    });
    expect(events.some((e) => e.type === 'stage-end' && e.record.stage === 'sam')).toBe(false);
  });

  it('says which stage has no recorded answer', async () => {
    const last = (await run(item, new ReplayEngine(new Map()))).at(-1);
    expect(last).toMatchObject({ type: 'error', stage: 'bam' });
    expect(last?.type === 'error' && last.message).toContain(
      `no recorded response for stage bam, item ${item.idx}`,
    );
  });
});

describe('correct() stage 5', () => {
  it('takes an empty generator answer as it is (no SLM retry rule)', async () => {
    const engine = new ScriptedEngine((_call, req) =>
      req.meta?.stage === 'generator' ? '' : '```SR\nx\n```',
    );
    const events = await run(item, engine);
    const last = events.at(-1);
    expect(last?.type === 'result' && last.result.finalSql).toBe('');
    expect(engine.requests.filter((r) => r.meta?.stage === 'generator')).toHaveLength(1);
  });

  it('replays item 120 of spider2sqlite, whose recorded final SQL is empty, as empty', async () => {
    const empty = ref.items.find((i) => ref.finalSql?.get(i.idx) === '');
    expect(empty).toBeDefined();
    const events = await run(empty!, new ReplayEngine(recordingOf(ref)));
    const last = events.at(-1);
    expect(last?.type === 'result' && last.result.finalSql).toBe('');
  });
});
