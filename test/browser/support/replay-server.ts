import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received. */
export interface ReceivedRequest {
  model: string;
  messages: { role: string; content: string }[];
  body: Record<string, unknown>;
}

/** A loopback OpenAI-compatible server that answers requests, in order, with recorded texts. */
export interface ReplayServer {
  /** Base URL up to and including `/v1`. */
  baseUrl: string;
  received: ReceivedRequest[];
  /** Answers for the next requests, in order (replaces what is left). */
  answers: string[];
  /** Milliseconds between streamed chunks. */
  delayMs: number;
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type, authorization',
  'access-control-allow-methods': 'POST, OPTIONS',
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the server on 127.0.0.1. It streams each answer as server-sent events in chunks of
 * `chunkSize` characters (then usage and `[DONE]`), like vLLM does, with CORS for the page.
 */
export async function startReplayServer(
  answers: string[],
  options: { chunkSize?: number; delayMs?: number } = {},
): Promise<ReplayServer> {
  const chunkSize = options.chunkSize ?? 24;
  const state: ReplayServer = {
    baseUrl: '',
    received: [],
    answers: [...answers],
    delayMs: options.delayMs ?? 5,
    close: async () => {},
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/v1/chat/completions')) {
      res.writeHead(404, CORS).end('not found');
      return;
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    state.received.push({
      model: String(body.model),
      messages: body.messages as ReceivedRequest['messages'],
      body,
    });
    const answer = state.answers.shift();
    if (answer === undefined) {
      res.writeHead(500, { ...CORS, 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'the replay has no more recorded answers' } }));
      return;
    }
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    res.writeHead(200, {
      ...CORS,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
    });
    const send = (data: unknown): void => {
      res.write(`data: ${JSON.stringify(data)}\n\n`);
    };
    for (let i = 0; i < answer.length && !closed; i += chunkSize) {
      send({ choices: [{ index: 0, delta: { content: answer.slice(i, i + chunkSize) } }] });
      if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
    }
    if (closed) return;
    send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    send({
      choices: [],
      usage: { prompt_tokens: 100, completion_tokens: Math.ceil(answer.length / 4) },
    });
    res.end('data: [DONE]\n\n');
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, CORS);
      res.end(String(error.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
