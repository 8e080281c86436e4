import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceDir } from '../src/cli/reference-dir';
import { OpenAiHttpEngine } from '../src/core/engine/openai-http';
import { SYSTEM_PROMPT } from '../src/core/share/prompts';
import { SPIDER2SQLITE } from './paths';
import { type ReplayServer, replayTokens, startReplayServer } from './support/replay-server';

const ref = loadReferenceDir(SPIDER2SQLITE);
let server: ReplayServer;

beforeAll(async () => {
  server = await startReplayServer({
    reference: ref,
    models: { bam: 'b', sam: 's', lom: 'l', generator: 'g' },
  });
});
afterAll(() => server.close());

const collect = async (engine: OpenAiHttpEngine, model: string, prompt: string, system = true) => {
  let text = '';
  let usage: { promptTokens: number; completionTokens: number } | undefined;
  const messages = system
    ? [
        { role: 'system' as const, content: SYSTEM_PROMPT },
        { role: 'user' as const, content: prompt },
      ]
    : [{ role: 'user' as const, content: prompt }];
  for await (const c of engine.chat({
    model,
    messages,
    temperature: 0,
    topP: 1,
    maxTokens: 10,
    stop: [],
  })) {
    if (c.type === 'delta') text += c.text;
    else usage = c.usage;
  }
  return { text, usage };
};

describe('replay server', () => {
  it('streams the recorded answer of a prompt, with usage, to the HTTP engine', async () => {
    const engine = new OpenAiHttpEngine({ baseUrl: server.baseUrl });
    const rec = ref.stages.get('sam')!.get(7)!;
    const { text, usage } = await collect(engine, 's', rec.prompt);
    expect(text).toBe(rec.response);
    expect(usage).toEqual(server.usageOf('sam', 7));
    expect(usage!.completionTokens).toBe(replayTokens(rec.response!));
    expect(server.log.at(-1)).toMatchObject({
      model: 's',
      stage: 'sam',
      idxs: [7],
      status: 200,
      stream: true,
    });
  });

  it('finds a prompt whose set-ordered lists come in another order', async () => {
    const rec = ref.stages.get('bam')!.get(0)!;
    const reordered = rec.prompt.replace(/^schema = \[(.*)\]$/m, (_all, body: string) => {
      return `schema = [${body.split(', ').reverse().join(', ')}]`;
    });
    expect(reordered).not.toBe(rec.prompt);
    const { text } = await collect(
      new OpenAiHttpEngine({ baseUrl: server.baseUrl }),
      'b',
      reordered,
    );
    expect(text).toBe(rec.response);
  });

  it('answers the generator with the recorded SQL, unknown models and prompts with 404', async () => {
    const engine = new OpenAiHttpEngine({ baseUrl: server.baseUrl });
    const rec = ref.stages.get('generator')!.get(3)!;
    const { text } = await collect(engine, 'g', rec.prompt, false);
    expect(text).toBe('```sqlite\n' + ref.finalSql!.get(3) + '\n```');
    await expect(collect(engine, 'nope', rec.prompt)).rejects.toThrow(/404.*does not exist/);
    await expect(collect(engine, 'b', 'hello')).rejects.toThrow(/404.*no recorded response/);
  });

  it('serves whole (non-streamed) answers, model lists and CORS preflights', async () => {
    const rec = ref.stages.get('lom')!.get(1)!;
    const res = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'l', messages: [{ role: 'user', content: rec.prompt }] }),
    });
    const body = await res.json();
    expect(body.choices[0].message.content).toBe(rec.response);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    const models = await (await fetch(`${server.baseUrl}/models`)).json();
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['b', 's', 'l', 'g']);
    const pre = await fetch(`${server.baseUrl}/chat/completions`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  });
});
