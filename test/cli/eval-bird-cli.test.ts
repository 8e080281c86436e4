import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPIDER } from '../paths';
import { runCli } from '../support/cli';

interface DevItem {
  db_id: string;
  query: string;
}

const dev: DevItem[] = JSON.parse(readFileSync(join(SPIDER, 'dev.json'), 'utf8'));
const LEVELS = ['simple', 'moderate', 'challenging'];
let dir: string;
let bird: string;

beforeAll(() => {
  // The Spider dev databases seen through the BIRD layout (links, nothing copied).
  dir = mkdtempSync(join(tmpdir(), 'share-eval-bird-'));
  bird = join(dir, 'bird');
  mkdirSync(join(bird, 'dev_databases'), { recursive: true });
  for (const db of new Set(dev.map((d) => d.db_id))) {
    symlinkSync(join(SPIDER, 'database', db), join(bird, 'dev_databases', db));
  }
  symlinkSync(join(SPIDER, 'tables.json'), join(bird, 'dev_tables.json'));
  const items = dev.map((d, i) => ({
    db_id: d.db_id,
    question: '',
    SQL: d.query,
    difficulty: LEVELS[i % 3],
  }));
  writeFileSync(join(bird, 'dev.json'), JSON.stringify(items));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function birdPredictions(name: string, sqls: string[]): string {
  const path = join(dir, name);
  const obj = Object.fromEntries(
    sqls.map((s, i) => [String(i), `${s}\t----- bird -----\t${dev[i]!.db_id}`]),
  );
  writeFileSync(path, JSON.stringify(obj));
  return path;
}

function spiderPredictions(name: string, sqls: string[]): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    sqls.map((s, i) => `${s.replaceAll('\n', ' ')}\t${dev[i]!.db_id}`).join('\n') + '\n',
  );
  return path;
}

describe('share eval (CLI, BIRD rules)', () => {
  it('scores gold predictions at 100%, by difficulty', () => {
    const pred = birdPredictions(
      'gold.json',
      dev.map((d) => d.query),
    );
    const r = runCli(['eval', '--dataset', bird, '--format', 'bird', '--pred', pred, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ total: dev.length, correct: dev.length, ex: 100 });
    const counts = LEVELS.map((_, k) => dev.filter((_, i) => i % 3 === k).length);
    expect(Object.keys(report.byDifficulty)).toEqual(LEVELS);
    LEVELS.forEach((level, k) => {
      expect(report.byDifficulty[level]).toEqual({ total: counts[k], correct: counts[k], ex: 100 });
    });
  });

  it('ignores row order and duplicates (sets), unlike the Spider rule', () => {
    // Reverse the sort of gold queries that order several rows without LIMIT.
    const flipped = dev.map((d) =>
      /order by/i.test(d.query) && !/limit/i.test(d.query) && /\bdesc\b/i.test(d.query)
        ? d.query.replace(/\bdesc\b/gi, 'ASC')
        : d.query,
    );
    const changed = flipped.flatMap((q, i) => (q !== dev[i]!.query ? [i] : []));
    expect(changed.length).toBeGreaterThan(3);
    const b = JSON.parse(
      runCli([
        'eval',
        '--dataset',
        bird,
        '--format',
        'bird',
        '--pred',
        birdPredictions('flip.json', flipped),
        '--json',
      ]).stdout,
    );
    const s = JSON.parse(
      runCli([
        'eval',
        '--dataset',
        SPIDER,
        '--format',
        'spider',
        '--pred',
        spiderPredictions('flip.txt', flipped),
        '--json',
      ]).stdout,
    );
    const ok = (report: { items: { idx: number; correct: boolean }[] }, i: number) =>
      report.items[i]!.correct;
    expect(changed.every((i) => ok(b, i))).toBe(true);
    expect(changed.some((i) => !ok(s, i))).toBe(true);
  });

  it('counts a timed-out prediction wrong', () => {
    const loop =
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c';
    const sqls = dev.slice(0, 3).map((d, i) => (i === 1 ? loop : d.query));
    const pred = birdPredictions('loop.json', sqls);
    const r = runCli([
      'eval',
      '--dataset',
      bird,
      '--format',
      'bird',
      '--pred',
      pred,
      '--json',
      '--timeout-ms',
      '500',
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.items.slice(0, 3)).toEqual([
      { idx: 0, correct: true },
      { idx: 1, correct: false, error: 'prediction timed out after 0.5 s' },
      { idx: 2, correct: true },
    ]);
    expect(report.items[3]).toEqual({ idx: 3, correct: false, error: 'no prediction' });
  });
});
