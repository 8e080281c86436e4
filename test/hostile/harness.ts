import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import type { ChatChunk, ChatEngine, ChatRequest } from '../../src/core/engine/chat-engine';
import { seededRandom } from '../../src/core/random';
import type { Schema } from '../../src/core/schema/schema';
import type { ShareItem } from '../../src/core/share/item';
import { type CorrectDeps, correct, type ShareEvent } from '../../src/core/share/pipeline';
import type { StageName } from '../../src/core/share/stages';
import { ROOT } from '../paths';

/** The categories of issue 6's corpus. */
export type HostileCategory =
  | 'files'
  | 'sql'
  | 'data'
  | 'model-output'
  | 'engines'
  | 'manifest'
  | 'cli';

/**
 * One hostile input with the outcome we expect, in words; `run` drives it through a public
 * interface and throws (through `expect`) when the outcome differs.
 */
export interface HostileCase {
  category: HostileCategory;
  name: string;
  expected: string;
  run(): Promise<void>;
}

let sqlJs: Promise<SqlJsStatic> | undefined;
/** sql.js, loaded once per test file. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

/** SHA-256 of bytes, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A deterministic pseudo-random byte source (mulberry32), so failing cases replay. */
export function seededBytes(seed: number, length: number): Uint8Array {
  const random = seededRandom(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 4294967296) & 0xff;
  return out;
}

/** What a scripted model answers: text (streamed in pieces) or explicit chunks. */
export type Script = (request: ChatRequest, stage: StageName, call: number) => string | ChatChunk[];

/** A ChatEngine whose answers come from a function of the request; it records every call. */
export class ScriptedEngine implements ChatEngine {
  readonly calls: ChatRequest[] = [];
  constructor(
    private readonly script: Script,
    private readonly chunkSize = 64,
  ) {}

  async *chat(request: ChatRequest): AsyncIterable<ChatChunk> {
    this.calls.push(request);
    const stage = request.meta?.stage as StageName;
    const answer = this.script(request, stage, this.calls.length);
    if (Array.isArray(answer)) {
      for (const chunk of answer) yield chunk;
      return;
    }
    for (let i = 0; i < answer.length; i += this.chunkSize) {
      yield { type: 'delta', text: answer.slice(i, i + this.chunkSize) };
    }
    yield { type: 'done', finishReason: 'stop' };
  }
}

/** Plausible answers per stage, for cases about something other than the model. */
export function plausibleAnswer(stage: StageName, table = 'singer', column = 'name'): string {
  if (stage === 'generator') return '```sqlite\nSELECT ' + column + ' FROM ' + table + '\n```';
  if (stage === 'mask') return '```SR\ndf1 = df.select([MASK])\n```';
  return '```SR\ndf1 = df.select(' + table + '.' + column + ')\n```';
}

/** Runs the pipeline to its end and returns every event. */
export async function runCorrection(item: ShareItem, deps: CorrectDeps): Promise<ShareEvent[]> {
  const events: ShareEvent[] = [];
  for await (const event of correct(item, deps)) events.push(event);
  return events;
}

/** The last event of a correction, which must be `result` or `error`. */
export function outcome(events: ShareEvent[]): Extract<ShareEvent, { type: 'result' | 'error' }> {
  const last = events[events.length - 1];
  if (!last || (last.type !== 'result' && last.type !== 'error')) {
    throw new Error(`the correction ended with ${last?.type ?? 'nothing'}, not result or error`);
  }
  return last;
}

/** An item for `schema`'s database. */
export function itemFor(schema: Schema, initialSql: string, question = 'How many?'): ShareItem {
  return { idx: 0, dbId: schema.dbId, question, evidence: '', initialSql };
}

/** Models for the pipeline, with a generator so all five stages run. */
export const MODELS = { bam: 'bam', sam: 'sam', lom: 'lom', generator: 'gen' } as const;

/** A loopback HTTP server started by a test. */
export interface LoopbackServer {
  baseUrl: string;
  requests: number;
  close(): Promise<void>;
}

/** Starts a `node:http` server on 127.0.0.1 with `handler`; `close` also drops live sockets. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    state.requests++;
    // Drain the request body so the client is never blocked on it.
    req.resume();
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const state: LoopbackServer = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: 0,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
  return state;
}

/** One `data:` line of an OpenAI-compatible stream. */
export function sseDelta(text: string, finishReason: string | null = null): string {
  return `data: ${JSON.stringify({ choices: [{ delta: { content: text }, finish_reason: finishReason }] })}\n\n`;
}

/** The result of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run -s share -- <args>` the way a user does (through tsx), without a shell. */
export function runCli(args: string[], timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, SHARE_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`CLI ${args.join(' ')} ran over ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** A stack trace in user-facing output (what we never show). */
export const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
