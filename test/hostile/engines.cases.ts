import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { expect } from 'vitest';
import type { ChatEngine } from '../../src/core/engine/chat-engine';
import {
  EngineAbortError,
  type EngineError,
  EngineHttpError,
  EngineNetworkError,
  EngineProtocolError,
  EngineTimeoutError,
} from '../../src/core/engine/errors';
import { type HttpTimeouts, OpenAiHttpEngine } from '../../src/core/engine/openai-http';
import { StageError } from '../../src/core/share/pipeline';
import {
  type HostileCase,
  itemFor,
  MODELS,
  outcome,
  runCorrection,
  STACK_TRACE,
  sleep,
  sseDelta,
  startServer,
} from './harness';
import { SINGERS } from './model-output.cases';

type ErrorClass = new (...args: never[]) => EngineError;

interface EngineSpec {
  name: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  timeouts?: Partial<HttpTimeouts>;
  maxEventChars?: number;
  /** Abort the correction this many ms after it starts. */
  abortAfterMs?: number;
  expect: { error: ErrorClass; message: RegExp; cancelled?: boolean };
}

// Each case shortens only the limit it exercises, so a slow machine does not trip another.
const LONG = { connectMs: 10_000, idleMs: 10_000, totalMs: 30_000 };

function status(code: number, body: string, type = 'application/json') {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(code, { 'content-type': type });
    res.end(body);
  };
}

function stream(write: (res: ServerResponse) => void | Promise<void>) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    void write(res);
  };
}

const SPECS: EngineSpec[] = [
  ...(
    [
      [
        400,
        '{"error":{"message":"max_tokens is too large"}}',
        /HTTP 400: .*max_tokens is too large/,
      ],
      [401, '{"error":{"message":"invalid api key"}}', /HTTP 401: .*invalid api key/],
      [404, '{"detail":"The model `bam` does not exist."}', /HTTP 404: .*does not exist/],
      [429, '{"error":{"message":"rate limited"}}', /HTTP 429/],
      [500, 'Internal Server Error', /HTTP 500: Internal Server Error/],
      [502, '<html><body>Bad Gateway</body></html>', /HTTP 502/],
      [503, '', /answered HTTP 503$/],
    ] as const
  ).map(
    ([code, body, message]): EngineSpec => ({
      name: `HTTP ${code}`,
      handler: status(code, body),
      expect: { error: EngineHttpError, message },
    }),
  ),
  {
    name: 'HTTP 500 with a 1 MB body',
    handler: status(500, 'x'.repeat(1_000_000), 'text/plain'),
    expect: { error: EngineHttpError, message: /^[\s\S]{0,400}$/ },
  },
  {
    name: 'connection refused (nothing listens)',
    handler: () => {},
    expect: {
      error: EngineNetworkError,
      message: /cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/,
    },
  },
  {
    name: 'connection dropped mid-stream',
    handler: stream(async (res) => {
      res.write(sseDelta('```SR\ndf1 = '));
      await sleep(50);
      res.socket?.destroy();
    }),
    expect: {
      error: EngineNetworkError,
      message: /dropped mid-stream|ended before the answer was complete/,
    },
  },
  {
    name: 'stream closed cleanly but without [DONE] or a finish reason',
    handler: stream((res) => {
      res.write(sseDelta('```SR\ndf1 = '));
      res.end();
    }),
    expect: { error: EngineNetworkError, message: /ended before the answer was complete/ },
  },
  {
    name: 'malformed SSE: an event that is not JSON',
    handler: stream((res) => {
      res.write('data: {"choices": [ this is not json\n\n');
      res.end();
    }),
    expect: { error: EngineProtocolError, message: /sent an event that is not JSON: \{"choices"/ },
  },
  {
    name: 'malformed SSE: JSON that is not an object',
    handler: stream((res) => {
      res.write('data: 42\n\n');
      res.end();
    }),
    expect: { error: EngineProtocolError, message: /not JSON: 42/ },
  },
  {
    name: 'an error event inside the stream',
    handler: stream((res) => {
      res.write('data: {"error":{"message":"CUDA out of memory"}}\n\n');
      res.end();
    }),
    expect: { error: EngineProtocolError, message: /reported: CUDA out of memory/ },
  },
  {
    name: 'one SSE event larger than the limit (2 MB without a newline)',
    handler: stream((res) => {
      res.write(`data: ${'a'.repeat(2_000_000)}`);
      res.end();
    }),
    maxEventChars: 100_000,
    expect: { error: EngineProtocolError, message: /malformed event stream/ },
  },
  {
    name: 'a JSON answer that is not a completion',
    handler: status(200, '{"hello":"world"}'),
    expect: { error: EngineProtocolError, message: /without choices\[0\]\.message\.content/ },
  },
  {
    name: 'an HTML page with status 200 (a captive portal or a wrong URL)',
    handler: status(200, '<!doctype html><title>Login</title>', 'text/html'),
    expect: { error: EngineProtocolError, message: /did not answer with JSON or an event stream/ },
  },
  {
    name: 'a body that claims gzip but is not',
    handler: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      res.end('this is not gzip');
    },
    expect: { error: EngineNetworkError, message: /incorrect header check/ },
  },
  {
    name: 'a redirect loop',
    handler: (req, res) => {
      res.writeHead(307, { location: req.url ?? '/' });
      res.end();
    },
    expect: { error: EngineNetworkError, message: /redirect/i },
  },
  {
    name: 'a server that never answers (connect time limit)',
    handler: () => {},
    timeouts: { ...LONG, connectMs: 400 },
    expect: { error: EngineTimeoutError, message: /did not answer within 400 ms/ },
  },
  {
    name: 'a server that stalls after the first token (idle time limit)',
    handler: stream((res) => {
      res.write(sseDelta('```SR\n'));
    }),
    timeouts: { ...LONG, idleMs: 400 },
    expect: { error: EngineTimeoutError, message: /sent nothing for 400 ms/ },
  },
  {
    name: 'a server that trickles tokens forever (total time limit)',
    handler: stream(async (res) => {
      while (!res.destroyed && !res.writableEnded) {
        res.write(sseDelta('df1 = df1.where( '));
        await sleep(100);
      }
    }),
    timeouts: { ...LONG, totalMs: 1_500 },
    expect: { error: EngineTimeoutError, message: /did not finish within 1500 ms/ },
  },
  {
    name: 'the user cancels mid-stream',
    handler: stream(async (res) => {
      while (!res.destroyed && !res.writableEnded) {
        res.write(sseDelta('df1 '));
        await sleep(50);
      }
    }),
    abortAfterMs: 300,
    expect: { error: EngineAbortError, message: /^cancelled$/, cancelled: true },
  },
];

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** An engine that breaks its contract by throwing a plain error (a bug, not a failure). */
const brokenEngine: ChatEngine = {
  // biome-ignore lint/correctness/useYield: it fails before its first chunk on purpose
  async *chat() {
    throw new TypeError("Cannot read properties of undefined (reading 'content')");
  },
};

/** Engine failures, each against a real loopback server, through the pipeline. */
export function engineCases(): HostileCase[] {
  const contract: HostileCase = {
    category: 'engines',
    name: 'an engine that throws a plain TypeError',
    expected: 'error event at stage bam: "internal error", not a crash',
    async run() {
      const events = await runCorrection(itemFor(SINGERS, 'SELECT Name FROM singer'), {
        engine: brokenEngine,
        schema: SINGERS,
        models: MODELS,
      });
      const end = outcome(events);
      expect(end.type).toBe('error');
      if (end.type !== 'error') return;
      expect(end.message).toBe(
        "Stage bam failed: internal error: Cannot read properties of undefined (reading 'content')",
      );
      expect(end.cancelled).toBe(false);
    },
  };
  return [
    contract,
    ...SPECS.map(
      (spec): HostileCase => ({
        category: 'engines',
        name: spec.name,
        expected: `error event at stage bam: ${spec.expect.error.name}${spec.expect.cancelled ? ' (cancelled)' : ''}`,
        async run() {
          const refused = spec.name.startsWith('connection refused');
          const server = refused ? undefined : await startServer(spec.handler);
          const baseUrl = server?.baseUrl ?? `http://127.0.0.1:${await closedPort()}/v1`;
          const controller = new AbortController();
          const timer =
            spec.abortAfterMs === undefined
              ? undefined
              : setTimeout(() => controller.abort(), spec.abortAfterMs);
          try {
            const engine = new OpenAiHttpEngine({
              baseUrl,
              timeouts: spec.timeouts ?? LONG,
              maxEventChars: spec.maxEventChars,
            });
            const started = performance.now();
            const events = await runCorrection(itemFor(SINGERS, 'SELECT Name FROM singer'), {
              engine,
              schema: SINGERS,
              models: MODELS,
              signal: controller.signal,
            });
            expect(
              performance.now() - started,
              'the failure took too long to surface',
            ).toBeLessThan(10_000);
            const end = outcome(events);
            expect(end.type).toBe('error');
            if (end.type !== 'error') return;
            expect(end.stage).toBe('bam');
            expect(end.cancelled).toBe(spec.expect.cancelled ?? false);
            expect(end.error).toBeInstanceOf(StageError);
            const cause = (end.error as StageError).cause;
            expect(cause, `${cause.name}: ${cause.message}`).toBeInstanceOf(spec.expect.error);
            expect(cause.message).toMatch(spec.expect.message);
            expect(end.message).not.toMatch(STACK_TRACE);
            expect(end.message).toMatch(
              spec.expect.cancelled ? /^Cancelled during stage bam/ : /^Stage bam failed: /,
            );
          } finally {
            clearTimeout(timer);
            await server?.close();
          }
        },
      }),
    ),
  ];
}
