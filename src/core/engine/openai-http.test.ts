import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatChunk, ChatRequest } from './chat-engine';
import {
  EngineAbortError,
  EngineHttpError,
  EngineNetworkError,
  EngineProtocolError,
  EngineTimeoutError,
} from './errors';
import { OpenAiHttpEngine } from './openai-http';

type Handler = (req: IncomingMessage, res: ServerResponse, body: unknown) => void;

// One real loopback server; each test picks its behaviour by model name.
const handlers = new Map<string, Handler>();
const bodies: unknown[] = [];
let server: Server;
let baseUrl: string;

const sse = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
};
const chunk = (text: string): string =>
  `data: ${JSON.stringify({ choices: [{ delta: { content: text }, finish_reason: null }] })}\n\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string };
      bodies.push(body);
      handlers.get(body.model)?.(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function request(model: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model,
    messages: [{ role: 'user', content: 'hi' }],
    temperature: 0,
    topP: 1,
    maxTokens: 3000,
    stop: ['</FINAL_ANSWER>'],
    ...extra,
  };
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

describe('OpenAiHttpEngine against a loopback server', () => {
  it('streams deltas and usage, and sends the greedy request', async () => {
    handlers.set('stream', (_req, res) => {
      sse(res);
      res.write(chunk('```SR\n'));
      res.write(chunk('res = df'));
      res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.write(
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 5 } })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
    });
    const engine = new OpenAiHttpEngine({ baseUrl, apiKey: 'k' });
    const got = await collect(engine.chat(request('stream')));
    expect(got).toEqual([
      { type: 'delta', text: '```SR\n' },
      { type: 'delta', text: 'res = df' },
      { type: 'done', usage: { promptTokens: 12, completionTokens: 5 }, finishReason: 'stop' },
    ]);
    expect(bodies.at(-1)).toEqual({
      model: 'stream',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      top_p: 1,
      max_tokens: 3000,
      stop: ['</FINAL_ANSWER>'],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('reports an HTTP 500 with its status, URL and body', async () => {
    handlers.set('http500', (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"model crashed"}');
    });
    const engine = new OpenAiHttpEngine({ baseUrl });
    const error = await collect(engine.chat(request('http500'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineHttpError);
    expect((error as EngineHttpError).status).toBe(500);
    expect((error as Error).message).toContain(`${baseUrl}/chat/completions answered HTTP 500`);
    expect((error as Error).message).toContain('model crashed');
  });

  it('reports a connection dropped mid-stream', async () => {
    handlers.set('drop', (_req, res) => {
      sse(res);
      res.write(chunk('partial'));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const engine = new OpenAiHttpEngine({ baseUrl });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of engine.chat(request('drop'))) if (c.type === 'delta') seen.push(c.text);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['partial']);
    expect(error).toBeInstanceOf(EngineNetworkError);
    expect((error as Error).message).toMatch(
      /dropped mid-stream|ended before the answer was complete/,
    );
  });

  it('reports a stream that ends cleanly but early', async () => {
    handlers.set('early', (_req, res) => {
      sse(res);
      res.end(chunk('half an answer'));
    });
    const engine = new OpenAiHttpEngine({ baseUrl });
    await expect(collect(engine.chat(request('early')))).rejects.toThrow(
      /ended before the answer was complete/,
    );
  });

  it('stops on abort and says it was cancelled', async () => {
    handlers.set('slow', (_req, res) => {
      sse(res);
      const timer = setInterval(() => res.write(chunk('x')), 10);
      res.on('close', () => clearInterval(timer));
    });
    const engine = new OpenAiHttpEngine({ baseUrl });
    const controller = new AbortController();
    let deltas = 0;
    const error = await (async () => {
      for await (const c of engine.chat(request('slow', { signal: controller.signal }))) {
        if (c.type === 'delta' && ++deltas === 3) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineAbortError);
    expect(deltas).toBe(3);
  });

  it('rejects a malformed event stream', async () => {
    handlers.set('garbage', (_req, res) => {
      sse(res);
      res.end('data: {not json\n\n');
    });
    const engine = new OpenAiHttpEngine({ baseUrl });
    const error = await collect(engine.chat(request('garbage'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineProtocolError);
    expect((error as Error).message).toContain('not JSON');
  });

  it('times out when the server never answers, and when it goes silent', async () => {
    handlers.set('mute', () => {});
    handlers.set('silent', (_req, res) => {
      sse(res);
      res.write(chunk('a'));
    });
    const engine = new OpenAiHttpEngine({ baseUrl, timeouts: { connectMs: 100, idleMs: 100 } });
    await expect(collect(engine.chat(request('mute')))).rejects.toThrow(EngineTimeoutError);
    await expect(collect(engine.chat(request('silent')))).rejects.toThrow(
      /sent nothing for 100 ms/,
    );
  });

  it('accepts a server that ignores stream: true and answers JSON', async () => {
    handlers.set('json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [{ message: { content: 'whole' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 3, completion_tokens: 1 },
        }),
      );
    });
    const engine = new OpenAiHttpEngine({ baseUrl });
    expect(await collect(engine.chat(request('json')))).toEqual([
      { type: 'delta', text: 'whole' },
      { type: 'done', usage: { promptTokens: 3, completionTokens: 1 }, finishReason: 'stop' },
    ]);
  });

  it('names the URL when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const engine = new OpenAiHttpEngine({ baseUrl: `http://127.0.0.1:${port}/v1/` });
    const error = await collect(engine.chat(request('any'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineNetworkError);
    expect((error as Error).message).toContain(
      `cannot reach http://127.0.0.1:${port}/v1/chat/completions`,
    );
  });
});
