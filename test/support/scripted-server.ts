/**
 * A loopback OpenAI-compatible server whose answers come from a function (streamed as
 * server-sent events with usage), for tests that need a model without recordings.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedMessage {
  role: string;
  content: string;
}

export interface ScriptedServer {
  baseUrl: string;
  requests: { model: string; messages: ScriptedMessage[] }[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 answering each chat request with `answer(model, messages)`. */
export async function startScriptedServer(
  answer: (model: string, messages: ScriptedMessage[]) => string,
): Promise<ScriptedServer> {
  const requests: ScriptedServer['requests'] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = JSON.parse(body) as { model: string; messages: ScriptedMessage[] };
    requests.push({ model: request.model, messages: request.messages });
    const text = answer(request.model, request.messages);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (data: unknown): boolean => res.write(`data: ${JSON.stringify(data)}\n\n`);
    send({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
    send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    send({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
