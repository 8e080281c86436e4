import { expect } from 'vitest';
import { QueryRefusedError } from '../../src/core/db/errors';
import { checkReadOnly } from '../../src/core/db/read-only';
import type { ChatChunk } from '../../src/core/engine/chat-engine';
import { OpenAiHttpEngine } from '../../src/core/engine/openai-http';
import type { Schema } from '../../src/core/schema/schema';
import { tableColumns } from '../../src/core/schema/schema';
import { INVALID_RESPONSE, MAX_INVALID_RETRIES } from '../../src/core/share/decoding';
import type { CorrectionResult, ShareEvent } from '../../src/core/share/pipeline';
import { srNames } from '../../src/core/sr/lexer';
import { maskSr } from '../../src/core/sr/mask';
import { parseSr } from '../../src/core/sr/parse';
import { indexSchema } from '../../src/core/sr/schema-names';
import {
  type HostileCase,
  itemFor,
  MODELS,
  outcome,
  plausibleAnswer,
  runCorrection,
  type Script,
  ScriptedEngine,
  seededBytes,
  sseDelta,
  startServer,
} from './harness';

/** A small schema in the shape of Spider's concert_singer. */
export const SINGERS: Schema = {
  dbId: 'concert_singer',
  tables: [
    {
      name: 'singer',
      columns: [
        { name: 'Singer_ID', type: 'int' },
        { name: 'Name', type: 'text' },
        { name: 'Age', type: 'int' },
      ],
      primaryKey: ['Singer_ID'],
    },
    {
      name: 'concert',
      columns: [
        { name: 'concert_ID', type: 'int' },
        { name: 'Year', type: 'text' },
      ],
      primaryKey: ['concert_ID'],
    },
  ],
  foreignKeys: [],
};

const INITIAL_SQL = 'SELECT Name FROM singer WHERE Age > 30';
/** Every model answer must be dealt with within this (generous on a loaded machine). */
const TIME_LIMIT_MS = 10_000;

async function correctWith(
  script: Script,
  options: { maxRetries?: number; chunkSize?: number } = {},
): Promise<{ result: CorrectionResult; events: ShareEvent[]; engine: ScriptedEngine }> {
  const engine = new ScriptedEngine(script, options.chunkSize);
  const started = performance.now();
  const events = await runCorrection(itemFor(SINGERS, INITIAL_SQL, 'Names of singers over 30?'), {
    engine,
    schema: SINGERS,
    models: MODELS,
    maxRetries: options.maxRetries,
  });
  expect(performance.now() - started, 'handling the answers took too long').toBeLessThan(
    TIME_LIMIT_MS,
  );
  const end = outcome(events);
  if (end.type !== 'result') throw new Error(`expected a result, got: ${end.message}`);
  return { result: end.result, events, engine };
}

const stageOf = (result: CorrectionResult, stage: string) =>
  result.stages.find((s) => s.stage === stage)!;

/** Garbage text: random code points, control characters, lone surrogates, stray fences. */
function garbage(seed: number, chars: number, fences: boolean): string {
  const bytes = seededBytes(seed, chars * 2);
  let out = '';
  for (let i = 0; out.length < chars; i += 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    if (fences && v % 97 === 0) out += '```SR';
    else if (v % 89 === 0) out += '```';
    else out += String.fromCharCode(v); // includes lone surrogates and controls on purpose
  }
  return out;
}

const SR_ANSWER =
  '```SR\ndf1 = df.where(element = singer.Age, filter = "> 30")\nres = df1.select(singer.Name)\n```';

export function modelOutputCases(): HostileCase[] {
  const cases: HostileCase[] = [
    {
      category: 'model-output',
      name: 'no SR block in any answer',
      expected: 'empty extracted SR at each stage, the correction completes',
      async run() {
        const { result } = await correctWith((_r, stage) =>
          stage === 'generator' ? plausibleAnswer(stage) : 'I think the SQL is fine as it is.',
        );
        for (const stage of ['bam', 'mask', 'sam', 'lom']) {
          expect(stageOf(result, stage).extracted).toBe('');
        }
        expect(result.generatorPrompt).toContain('```SR\n\n```');
      },
    },
    {
      category: 'model-output',
      name: `an empty answer every time: ${MAX_INVALID_RETRIES} retries, then ${INVALID_RESPONSE}`,
      expected: `${MAX_INVALID_RETRIES + 1} attempts per SLM stage, response ${INVALID_RESPONSE}; the generator's empty answer taken once, as the reference does`,
      async run() {
        const { result, events } = await correctWith(() => '');
        for (const record of result.stages.filter((r) => r.stage !== 'generator')) {
          expect(record.attempts).toBe(MAX_INVALID_RETRIES + 1);
          expect(record.response).toBe(INVALID_RESPONSE);
        }
        expect(stageOf(result, 'generator')).toMatchObject({ attempts: 1, response: '' });
        expect(result.finalSql).toBe('');
        const retries = events.filter((e) => e.type === 'retry');
        expect(retries).toHaveLength(MAX_INVALID_RETRIES * 4);
      },
    },
    {
      category: 'model-output',
      name: 'a one-character answer counts as empty',
      expected: 'retried, then [INVALID]',
      async run() {
        const { result } = await correctWith(() => '  .  ', { maxRetries: 2 });
        expect(stageOf(result, 'bam').attempts).toBe(3);
        expect(stageOf(result, 'bam').response).toBe(INVALID_RESPONSE);
      },
    },
    {
      category: 'model-output',
      name: 'blank characters Python strips but JavaScript does not (\\x1c-\\x1f, \\x85)',
      expected: 'the answer counts as empty',
      async run() {
        const { result } = await correctWith(() => '\x1c\x1d\x1e\x1f\x85x', { maxRetries: 1 });
        expect(stageOf(result, 'bam').response).toBe(INVALID_RESPONSE);
      },
    },
    {
      category: 'model-output',
      name: 'empty twice, then an answer',
      expected: 'the third attempt is kept',
      async run() {
        let bamCalls = 0;
        const { result } = await correctWith((_r, stage) => {
          if (stage === 'bam' && ++bamCalls <= 2) return '';
          return plausibleAnswer(stage);
        });
        expect(stageOf(result, 'bam').attempts).toBe(3);
        expect(stageOf(result, 'bam').extracted).toBe('df1 = df.select(singer.name)');
      },
    },
    {
      category: 'model-output',
      name: 'endless repetition up to the token limit (no closing fence)',
      expected: 'empty SR, finish reason length, the correction completes in time',
      async run() {
        const loop =
          '```SR\n' + 'df1 = df1.where(element = singer.Age, filter = 30)\n'.repeat(3000);
        const { result } = await correctWith((_r, stage) =>
          stage === 'generator'
            ? plausibleAnswer(stage)
            : [
                { type: 'delta', text: loop },
                { type: 'done', finishReason: 'length' },
              ],
        );
        expect(stageOf(result, 'bam').extracted).toBe('');
        expect(stageOf(result, 'bam').response.length).toBe(loop.length);
      },
    },
    {
      category: 'model-output',
      name: '100 kB of garbage (controls, lone surrogates)',
      expected: 'handled in time, the correction completes',
      async run() {
        const junk = garbage(7, 100_000, false);
        const { result } = await correctWith(() => junk, { chunkSize: 4096 });
        expect(stageOf(result, 'sam').response).toBe(junk);
        // Whatever the garbage mentions of the schema, the augmented schema stays in it.
        const known = new Set(tableColumns(SINGERS).map(([t, c]) => `${t}.${c}`));
        for (const entry of result.augmentedSchema) expect(known.has(entry)).toBe(true);
      },
    },
    {
      category: 'model-output',
      name: '100 kB of garbage full of stray ``` fences',
      expected: 'a block (possibly empty) is extracted, in time',
      async run() {
        const junk = garbage(8, 100_000, true);
        const { result } = await correctWith(() => junk, { chunkSize: 8192 });
        expect(typeof stageOf(result, 'lom').extracted).toBe('string');
        expect(junk.includes(stageOf(result, 'lom').extracted)).toBe(true);
      },
    },
    {
      category: 'model-output',
      name: '100 kB of blanks inside an answer (degenerate whitespace repetition)',
      expected: 'handled in time (stripping stays linear), the correction completes',
      async run() {
        const blanks = '```SR\nres = df.select(singer.Name)' + ' '.repeat(100_000) + '\n```';
        const { result } = await correctWith(() => blanks, { chunkSize: 8192 });
        expect(stageOf(result, 'bam').extracted).toBe('res = df.select(singer.Name)');
      },
    },
    {
      category: 'model-output',
      name: 'a trajectory nested 10,000 calls deep',
      expected: 'the SR parser reports it (or keeps raw text) instead of overflowing the stack',
      async run() {
        const deep = '```SR\nres = ' + 'df.where('.repeat(10_000) + '\n```';
        const { result } = await correctWith((_r, stage) =>
          stage === 'generator' ? plausibleAnswer(stage) : deep,
        );
        const sr = stageOf(result, 'lom').extracted;
        const parsed = parseSr(sr, { names: srNames(['singer', 'Name', 'Age']) });
        // Too deep to read as an expression: reported as an error or kept as raw text.
        expect(parsed.errors.length + parsed.rawFragments).toBeGreaterThan(0);
        const brackets = parseSr(`res = ${'('.repeat(10_000)}1`);
        expect(brackets.errors.map((e) => e.message).join('\n')).toMatch(/nests too deeply/);
        expect(maskSr(sr, indexSchema(SINGERS)).masked.length).toBeGreaterThan(0);
      },
    },
    {
      category: 'model-output',
      name: 'an SR naming tables and columns that do not exist',
      expected: 'the augmented schema keeps only real columns; the correction completes',
      async run() {
        const { result } = await correctWith((_r, stage) =>
          stage === 'generator'
            ? '```sqlite\nSELECT nickname FROM performers\n```'
            : '```SR\nres = df.where(element = performers.nickname, filter = 1).select(singer.Name)\n```',
        );
        expect(result.augmentedSchema.sort()).toEqual(['singer.Age', 'singer.Name']);
        expect(result.finalSql).toBe('SELECT nickname FROM performers');
      },
    },
    {
      category: 'model-output',
      name: 'template placeholders in an answer ({question}, {sr})',
      expected: 'pasted literally into the next prompt, never substituted',
      async run() {
        const { result } = await correctWith((_r, stage) =>
          stage === 'generator'
            ? plausibleAnswer(stage)
            : '```SR\nres = {question} {sr} {evidence}\n```',
        );
        const lom = stageOf(result, 'lom').prompt;
        expect(lom).toContain('res = {question} {sr} {evidence}');
        expect(lom.split('Names of singers over 30?')).toHaveLength(2);
      },
    },
    {
      category: 'model-output',
      name: 'a generator answer without a code block',
      expected: 'the raw text after the last "\\n\\nsqlite\\n" is taken (reference rule)',
      async run() {
        const { result } = await correctWith((_r, stage) =>
          stage === 'generator' ? 'Here it is:\n\nsqlite\nSELECT Name FROM singer' : SR_ANSWER,
        );
        expect(result.finalSql).toBe('SELECT Name FROM singer');
      },
    },
    {
      category: 'model-output',
      name: 'a "corrected" SQL that drops a table',
      expected: 'the correction completes; executing it is refused by the read-only guard',
      async run() {
        const { result } = await correctWith((_r, stage) =>
          stage === 'generator' ? '```sqlite\nDROP TABLE singer\n```' : SR_ANSWER,
        );
        expect(result.finalSql).toBe('DROP TABLE singer');
        expect(() => checkReadOnly(result.finalSql!)).toThrow(QueryRefusedError);
      },
    },
    {
      category: 'model-output',
      name: 'a stream of many tiny deltas (one character each)',
      expected: 'the same text as one delta',
      async run() {
        const chunks: ChatChunk[] = [...SR_ANSWER].map((text) => ({ type: 'delta', text }));
        chunks.push({ type: 'done' });
        const { result } = await correctWith((_r, stage) =>
          stage === 'generator' ? plausibleAnswer(stage) : chunks,
        );
        expect(stageOf(result, 'bam').response).toBe(SR_ANSWER);
      },
    },
  ];

  // Model output that arrives over HTTP from an OpenAI-compatible server.
  const overHttp = (
    name: string,
    expected: string,
    body: (write: (chunk: string | Uint8Array) => void) => void,
    check: (response: string, result: CorrectionResult) => void,
  ): HostileCase => ({
    category: 'model-output',
    name,
    expected,
    async run() {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        body((chunk) => res.write(chunk));
        res.end();
      });
      try {
        const engine = new OpenAiHttpEngine({
          baseUrl: server.baseUrl,
          timeouts: { connectMs: 5_000, idleMs: 5_000, totalMs: 20_000 },
        });
        const events = await runCorrection(itemFor(SINGERS, INITIAL_SQL), {
          engine,
          schema: SINGERS,
          models: MODELS,
        });
        const end = outcome(events);
        if (end.type !== 'result') throw new Error(`expected a result, got: ${end.message}`);
        check(stageOf(end.result, 'bam').response, end.result);
      } finally {
        await server.close();
      }
    },
  });

  const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
  const concat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };

  cases.push(
    overHttp(
      'invalid UTF-8 bytes from a server',
      'decoded with U+FFFD replacement characters; the correction completes',
      (write) => {
        const before = encode('data: {"choices":[{"delta":{"content":"```SR\\nres = bad');
        const after = encode('\\n```"},"finish_reason":null}]}\n\n');
        write(concat(before, new Uint8Array([0xff, 0xfe, 0xc3]), after));
        write('data: [DONE]\n\n');
      },
      (response, result) => {
        expect(response).toContain('res = bad\uFFFD');
        expect(stageOf(result, 'bam').extracted).toMatch(/^res = bad\uFFFD+$/);
      },
    ),
    overHttp(
      'a multi-byte character split across network writes',
      'decoded intact (no replacement character)',
      (write) => {
        const bytes = encode(sseDelta('```SR\nres = df.select(singer.Name) # café 🙂\n```'));
        const cut = bytes.indexOf(0xf0) + 2; // inside the emoji's four bytes
        write(bytes.subarray(0, cut));
        write(bytes.subarray(cut));
        write('data: [DONE]\n\n');
      },
      (response) => {
        expect(response).toContain('café 🙂');
        expect(response).not.toContain('\uFFFD');
      },
    ),
    overHttp(
      'a server repeating itself for 3,000 events up to the token limit',
      'the whole repetition is collected, empty SR, the correction completes',
      (write) => {
        write(sseDelta('```SR\n'));
        for (let i = 0; i < 3000; i++) write(sseDelta('df1 = df1.where('));
        write(sseDelta('', 'length'));
        write('data: [DONE]\n\n');
      },
      (response, result) => {
        expect(response).toBe('```SR\n' + 'df1 = df1.where('.repeat(3000));
        expect(stageOf(result, 'bam').extracted).toBe('');
      },
    ),
  );
  return cases;
}
