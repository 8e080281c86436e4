import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPIDER } from '../paths';
import { runCli } from '../support/cli';

interface DevItem {
  db_id: string;
  query: string;
}

const dev: DevItem[] = JSON.parse(readFileSync(join(SPIDER, 'dev.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'share-eval-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function predictionFile(name: string, sqls: string[]): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    sqls.map((sql, i) => `${sql.replaceAll('\n', ' ')}\t${dev[i]!.db_id}`).join('\n') + '\n',
  );
  return path;
}

describe('share eval (CLI, Spider rules, real Spider dev databases)', () => {
  it('scores the gold queries as predictions at 100%', () => {
    const pred = predictionFile(
      'gold.txt',
      dev.map((d) => d.query),
    );
    const r = runCli(['eval', '--dataset', SPIDER, '--format', 'spider', '--pred', pred, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.total).toBe(dev.length);
    expect(report.correct).toBe(dev.length);
    expect(report.ex).toBe(100);
    expect(report.datasetErrors).toEqual([]);
    expect(report.items).toHaveLength(dev.length);
    expect(report.items.every((i: { correct: boolean }) => i.correct)).toBe(true);
    expect(
      Object.values(report.byDatabase).reduce(
        (n: number, t) => n + (t as { total: number }).total,
        0,
      ),
    ).toBe(dev.length);
  });

  it('scores wrong predictions wrong, with the failing ones explained', () => {
    // Each item gets the gold query of an item half the set away; a few are broken SQL.
    const half = Math.floor(dev.length / 2);
    const sqls = dev.map((_, i) =>
      i % 50 === 0 ? 'SELEC nothing' : dev[(i + half) % dev.length]!.query,
    );
    const pred = predictionFile('shifted.txt', sqls);
    const r = runCli(['eval', '--dataset', SPIDER, '--format', 'spider', '--pred', pred, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.correct).toBeLessThan(dev.length / 10);
    const broken = report.items.filter((i: { idx: number }) => i.idx % 50 === 0);
    expect(
      broken.every(
        (i: { correct: boolean; error?: string }) =>
          !i.correct && /syntax error/.test(i.error ?? ''),
      ),
    ).toBe(true);
  });

  it('prints a readable table without --json (two SQL workers)', () => {
    const pred = predictionFile(
      'few.txt',
      dev.map((d) => d.query),
    );
    const r = runCli([
      'eval',
      '--dataset',
      SPIDER,
      '--format',
      'spider',
      '--pred',
      pred,
      '--jobs',
      '2',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/all\s+562 \/ 562\s+100\.00 %/);
    expect(r.stdout).toMatch(/world_1\s+120 \/ 120/);
  });

  it('explains a wrong layout in one line', () => {
    const r = runCli([
      'eval',
      '--dataset',
      SPIDER,
      '--format',
      'bird',
      '--pred',
      join(dir, 'gold.txt'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no dev_tables\.json/);
  });
});
