import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaForDb, type TablesJsonEntry } from '../../src/core/schema/from-tables-json';
import { extractSr } from '../../src/core/share/extract';
import { analyzeSql } from '../../src/core/sql/analyze';
import { SqlParseError, SqlUnsupportedError } from '../../src/core/sql/errors';
import { initSqlParser, parseSql } from '../../src/core/sql/parse';
import { printQuery } from '../../src/core/sql/print';
import { maskSr, schemaReferencesIn } from '../../src/core/sr/mask';
import { parseSr } from '../../src/core/sr/parse';
import { indexSchema } from '../../src/core/sr/schema-names';
import { SPIDER2SQLITE } from '../paths';
import { FUZZ_SEED, hostileString, withinTime } from './arbitraries';

// Generous for a loaded 2-core machine; the adversarial inputs below catch superlinear work.
const TIME_MS = 1_000;
const params = { seed: FUZZ_SEED, numRuns: 500 };

// Real inputs of a recorded run, then mutated: what BAM/SAM/LOM and LLMs actually write.
const lines = readFileSync(join(SPIDER2SQLITE, 'original_traj.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean);
const records = lines.map((l) => JSON.parse(l) as { idx: number; response: string });
const dev = JSON.parse(readFileSync(join(SPIDER2SQLITE, 'dev.json'), 'utf8')) as {
  db_id: string;
}[];
const tables = JSON.parse(
  readFileSync(join(SPIDER2SQLITE, 'tables.json'), 'utf8'),
) as TablesJsonEntry[];
const baseline = JSON.parse(
  readFileSync(join(SPIDER2SQLITE, 'baseline_sql.json'), 'utf8'),
) as Record<string, string>;
const samples = records.map((r) => {
  const schema = schemaForDb(tables, dev[r.idx]!.db_id);
  return {
    sr: extractSr(r.response),
    sql: baseline[String(r.idx)]!.split('\t')[0]!,
    schema,
    index: indexSchema(schema),
  };
});

/** A text edit: delete a range, insert hostile text, or duplicate a slice. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: hostileString(12) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat({ max: 40 }) }),
);

type Edit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number };

function mutate(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.length);
    else if (e.kind === 'insert') out = out.slice(0, at) + e.text + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + e.length) + out.slice(at);
  }
  return out;
}

const mutated = (pick: (s: (typeof samples)[number]) => string) =>
  fc
    .tuple(fc.nat({ max: samples.length - 1 }), fc.array(edit, { maxLength: 5 }))
    .map(([i, edits]) => ({ i, text: mutate(pick(samples[i]!), edits) }));

describe('SR parser (fuzz)', () => {
  it('parses any text without throwing, quickly, reporting errors as values', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString(300),
          mutated((s) => s.sr).map((m) => m.text),
        ),
        (text) => {
          const result = withinTime(TIME_MS, () => parseSr(text));
          expect(Array.isArray(result.errors)).toBe(true);
          expect(Array.isArray(result.program.statements)).toBe(true);
        },
      ),
      params,
    );
  });

  it('masks and lists references of mutated real SRs without throwing', () => {
    fc.assert(
      fc.property(
        mutated((s) => s.sr),
        ({ i, text }) => {
          const sample = samples[i]!;
          const masked = withinTime(TIME_MS, () => maskSr(text, sample.index));
          expect(masked.masked.length).toBeGreaterThanOrEqual(0);
          withinTime(TIME_MS, () => schemaReferencesIn(text, sample.index));
        },
      ),
      params,
    );
  });

  it('stays fast on 100 kB adversarial trajectories', () => {
    const { index } = samples[0]!;
    for (const text of [
      'df1 = df.where('.repeat(7_000),
      '('.repeat(50_000),
      `res = ${'['.repeat(20_000)}`,
      `df1 = df.select(${"'".repeat(50_000)})`,
      'df1 = df.where(element = a.b, filter = 1)\n'.repeat(2_500),
    ]) {
      withinTime(2_000, () => parseSr(text));
      withinTime(2_000, () => maskSr(text, index));
    }
  });
});

describe('SQL parser and analyzer (fuzz)', () => {
  beforeAll(async () => {
    await initSqlParser();
  });

  const analyse = (text: string, schema: (typeof samples)[number]['schema']): void => {
    let query: ReturnType<typeof parseSql>;
    try {
      query = withinTime(TIME_MS, () => parseSql(text));
    } catch (error) {
      // The only failures allowed are the typed ones, with a message.
      if (error instanceof SqlParseError || error instanceof SqlUnsupportedError) {
        expect(error.message.length).toBeGreaterThan(0);
        return;
      }
      throw error;
    }
    const analysis = withinTime(TIME_MS, () => analyzeSql(query, schema));
    expect(Array.isArray(analysis.problems)).toBe(true);
    try {
      withinTime(TIME_MS, () => printQuery(query));
    } catch (error) {
      // Constructs parsed but not modelled (e.g. TRIM) cannot be printed: a typed refusal.
      if (!(error instanceof SqlUnsupportedError)) throw error;
    }
  };

  it('parses, analyses and prints mutated real SQL, failing only with typed errors', () => {
    fc.assert(
      fc.property(
        mutated((s) => s.sql),
        ({ i, text }) => analyse(text, samples[i]!.schema),
      ),
      params,
    );
  });

  it('handles arbitrary text the same way', () => {
    fc.assert(
      fc.property(hostileString(200), (text) => analyse(text, samples[0]!.schema)),
      params,
    );
  });

  it('stays fast on large adversarial SQL', () => {
    const { schema } = samples[0]!;
    for (const text of [
      `SELECT ${'('.repeat(2_000)}1${')'.repeat(2_000)}`,
      `SELECT 1 FROM t WHERE ${Array.from({ length: 2_000 }, (_, i) => `a = ${i}`).join(' OR ')}`,
      `SELECT ${'a, '.repeat(5_000)}b FROM t`,
      `SELECT '${"''".repeat(20_000)}'`,
    ]) {
      const started = performance.now();
      analyse(text, schema);
      expect(performance.now() - started).toBeLessThan(3_000);
    }
  });
});
