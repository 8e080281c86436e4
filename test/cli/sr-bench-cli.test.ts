import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPIDER2SQLITE } from '../paths';
import { runCli } from '../support/cli';

const work = mkdtempSync(join(tmpdir(), 'share-sr-bench-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('share sr-bench (CLI)', () => {
  const full = runCli(['sr-bench', '--reference', SPIDER2SQLITE, '--json']);

  it('prints one JSON object of the agreed shape on stdout', () => {
    expect(full.code).toBe(0);
    const report = JSON.parse(full.stdout);
    expect(Object.keys(report)).toEqual(['parse', 'mask', 'sqlToSr']);
    expect(Object.keys(report.parse)).toEqual(['sql', 'sr']);
    expect(Object.keys(report.parse.sql)).toEqual(['total', 'ok']);
    expect(Object.keys(report.parse.sr)).toEqual(['total', 'ok']);
    expect(Object.keys(report.mask)).toEqual(['compared', 'exactVsModel', 'complete']);
    expect(Object.keys(report.sqlToSr)).toEqual(['compared', 'exact', 'stepSimilarity']);
    // Every recorded trajectory of every stage of the set: 135 items, SR in 4 stage files.
    expect(report.parse.sql.total).toBe(135);
    expect(report.parse.sr.total).toBe(439);
  });

  it('leaves out a malformed record and an item without SQL, says so, and measures the rest', () => {
    const set = join(work, 'damaged');
    rmSync(set, { recursive: true, force: true });
    mkdirSync(set);
    for (const f of ['dev.json', 'tables.json', 'original_traj.jsonl', 'masked_traj.jsonl'])
      copyFileSync(join(SPIDER2SQLITE, f), join(set, f));
    const baseline = JSON.parse(readFileSync(join(SPIDER2SQLITE, 'baseline_sql.json'), 'utf8'));
    const lines = readFileSync(join(set, 'original_traj.jsonl'), 'utf8').split('\n');
    const firstIdx = JSON.parse(lines[0]!).idx;
    const secondIdx = JSON.parse(lines[1]!).idx;
    lines[0] = '{"idx": 0, "prompt": "cut short';
    writeFileSync(join(set, 'original_traj.jsonl'), lines.join('\n'));
    delete baseline[String(secondIdx)];
    writeFileSync(join(set, 'baseline_sql.json'), JSON.stringify(baseline));

    const r = runCli(['sr-bench', '--reference', set, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('original_traj.jsonl line 1 is not valid JSON');
    expect(r.stderr).toContain(`baseline_sql.json has no SQL for "${secondIdx}"`);
    const report = JSON.parse(r.stdout);
    const before = JSON.parse(full.stdout);
    // The item whose stage-1 record was lost still has its masked record and its SQL.
    expect(firstIdx).not.toBe(secondIdx);
    expect(report.parse.sql.total).toBe(134);
    expect(report.sqlToSr.compared).toBeLessThan(before.sqlToSr.compared);
  });

  it('says which comparisons a set without a stage file cannot make, and measures the rest', () => {
    const set = join(work, 'partial');
    rmSync(set, { recursive: true, force: true });
    mkdirSync(set);
    for (const f of ['dev.json', 'tables.json', 'baseline_sql.json', 'original_traj.jsonl'])
      copyFileSync(join(SPIDER2SQLITE, f), join(set, f));
    const noMask = runCli(['sr-bench', '--reference', set, '--json']);
    expect(noMask.code).toBe(0);
    expect(noMask.stderr).toContain('no records in masked_traj.jsonl: masking has nothing');
    const report = JSON.parse(noMask.stdout);
    expect(report.mask.compared).toBe(0);
    expect(report.sqlToSr.compared).toBeGreaterThan(0);

    rmSync(join(set, 'original_traj.jsonl'));
    const noStage = runCli(['sr-bench', '--reference', set, '--json']);
    expect(noStage.code).toBe(0);
    expect(noStage.stderr).toContain('no records in original_traj.jsonl: SQL→SR and masking');
    expect(JSON.parse(noStage.stdout).sqlToSr.compared).toBe(0);
    // The full set has every file: no such note.
    expect(full.stderr).not.toContain('nothing to compare');
  });

  it('explains a missing folder in one line with exit code 2', () => {
    const r = runCli(['sr-bench', '--reference', join(work, 'nothing-here'), '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^share: no such folder: /);
  });
});
