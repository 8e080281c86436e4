/**
 * A loopback OpenAI-compatible server that answers with the recorded responses of a
 * reference run (`shared/data/share-reference/<set>/`), for tests of anything that talks to
 * a chat-completions endpoint (the `run` command, the browser app's HTTP engine).
 *
 * A request is identified by its model name (which SHARE role) and its user prompt,
 * compared modulo Python set order (`normalizeSetOrder`). Answers stream as server-sent
 * events with usage (when `stream_options.include_usage` is set), or come whole. Usage is
 * a deterministic count (`replayTokens`) so tests can check accounting. Every request is
 * logged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadReferenceDir } from '../../src/cli/reference-dir';
import { normalizeSetOrder } from '../../src/core/reference/normalize';
import type { ReferenceSet } from '../../src/core/reference/reference-set';
import { SYSTEM_PROMPT } from '../../src/core/share/prompts';
import { STAGE_ROLE, type StageName } from '../../src/core/share/stages';

export interface ReplayModels {
  bam: string;
  sam: string;
  lom: string;
  generator?: string;
}

export interface ReplayServerOptions {
  /** A reference folder, or a parsed set. */
  reference: string | ReferenceSet;
  /** Model names the server answers to, per role. */
  models: ReplayModels;
  /** Characters per streamed delta. */
  chunkChars?: number;
  /** Wait before answering each request (lets a test stop a client mid-run). */
  delayMs?: number;
}

export interface ReplayLogEntry {
  model: string;
  stage?: StageName;
  /** The items whose recorded prompt this was (several when items share a prompt). */
  idxs?: number[];
  status: number;
  stream: boolean;
  promptTokens: number;
  completionTokens: number;
}

export interface ReplayServer {
  /** Base URL up to and including `/v1`. */
  baseUrl: string;
  log: ReplayLogEntry[];
  /** The usage the server reports for the recorded (stage, idx), sent as the reference sends it. */
  usageOf(
    stage: StageName,
    idx: number,
  ): { promptTokens: number; completionTokens: number } | undefined;
  close(): Promise<void>;
}

/** A deterministic token count: words and single punctuation marks. */
export function replayTokens(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
}

interface Answer {
  stage: StageName;
  idxs: number[];
  response: string;
}

interface WireMessage {
  role: string;
  content: string;
}

function promptTokensOf(messages: readonly WireMessage[]): number {
  // A few tokens of chat template per message, like real servers count.
  return messages.reduce((n, m) => n + 3 + replayTokens(m.content), 0);
}

/** Starts the server on 127.0.0.1 (a free port). */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const ref =
    typeof options.reference === 'string' ? loadReferenceDir(options.reference) : options.reference;
  const chunkChars = options.chunkChars ?? 16;
  const roleOfModel = new Map<string, 'bam' | 'sam' | 'lom' | 'generator'>();
  for (const role of ['bam', 'sam', 'lom', 'generator'] as const) {
    const name = options.models[role];
    if (name) roleOfModel.set(name, role);
  }
  const answers = new Map<string, Answer>();
  const usage = new Map<string, { promptTokens: number; completionTokens: number }>();
  const add = (stage: StageName, idx: number, prompt: string, response: string): void => {
    const key = `${STAGE_ROLE[stage]}\n${normalizeSetOrder(prompt)}`;
    const known = answers.get(key);
    if (known && known.stage === stage) known.idxs.push(idx);
    else if (!known) answers.set(key, { stage, idxs: [idx], response });
    const messages: WireMessage[] =
      stage === 'generator'
        ? [{ role: 'user', content: prompt }]
        : [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: prompt },
          ];
    usage.set(`${stage}/${idx}`, {
      promptTokens: promptTokensOf(messages),
      completionTokens: replayTokens(response),
    });
  };
  for (const [stage, records] of ref.stages) {
    for (const [idx, rec] of records) {
      if (stage === 'generator') {
        const sql = ref.finalSql?.get(idx);
        // The recordings keep stage 5's post-processed SQL only: answer it in a fence (an
        // empty SQL came from an empty answer: a fence would extract as "ite").
        if (sql !== undefined)
          add(stage, idx, rec.prompt, sql === '' ? '' : '```sqlite\n' + sql + '\n```');
      } else if (rec.response !== undefined) add(stage, idx, rec.prompt, rec.response);
    }
  }

  const log: ReplayLogEntry[] = [];
  const sendError = (res: ServerResponse, status: number, message: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: status } }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Browser pages on another origin (the app's dev server) may call it: allow CORS.
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type, authorization',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: [...roleOfModel.keys()].map((id) => ({ id, object: 'model' })),
        }),
      );
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      sendError(res, 404, `no route ${req.method} ${req.url}`);
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    let request: {
      model?: string;
      messages?: WireMessage[];
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    };
    try {
      request = JSON.parse(body);
    } catch {
      sendError(res, 400, 'the body is not JSON');
      return;
    }
    const model = String(request.model ?? '');
    const messages = Array.isArray(request.messages) ? request.messages : [];
    const stream = request.stream === true;
    const role = roleOfModel.get(model);
    const prompt = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const answer = role ? answers.get(`${role}\n${normalizeSetOrder(prompt)}`) : undefined;
    const promptTokens = promptTokensOf(messages);
    if (!role || !answer) {
      log.push({ model, status: 404, stream, promptTokens: 0, completionTokens: 0 });
      sendError(
        res,
        404,
        role ? 'no recorded response for this prompt' : `The model \`${model}\` does not exist.`,
      );
      return;
    }
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const completionTokens = replayTokens(answer.response);
    log.push({
      model,
      stage: answer.stage,
      idxs: answer.idxs,
      status: 200,
      stream,
      promptTokens,
      completionTokens,
    });
    const wireUsage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const id = `chatcmpl-replay-${log.length}`;
    const created = Math.floor(Date.now() / 1000);
    if (!stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: answer.response },
              finish_reason: 'stop',
            },
          ],
          usage: wireUsage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (data: unknown): boolean => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: object, finish: string | null) =>
      event({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    chunk({ role: 'assistant', content: '' }, null);
    const text = answer.response;
    for (let i = 0; i < text.length; i += chunkChars)
      chunk({ content: text.slice(i, i + chunkChars) }, null);
    chunk({}, 'stop');
    if (request.stream_options?.include_usage) {
      event({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: wireUsage });
    }
    res.end('data: [DONE]\n\n');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, String(error));
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    log,
    usageOf: (stage, idx) => usage.get(`${stage}/${idx}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
