import { describe, expect, it } from 'vitest';
import { BIRD_DEV_EVEN, SPIDER2SQLITE } from '../paths';
import { runCli } from '../support/cli';

describe('share conformance (CLI)', () => {
  it('prints one JSON object of the agreed shape on stdout', () => {
    const r = runCli(['conformance', '--reference', BIRD_DEV_EVEN, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual([
      'set',
      'items',
      'stages',
      'augmentedSchema',
      'mismatches',
    ]);
    expect(report.set).toBe('bird-dev-even');
    expect(report.items).toBe(767);
    expect(Object.keys(report.stages)).toEqual(['bam', 'mask', 'sam', 'lom', 'generator']);
    expect(report.stages.bam).toEqual({ compared: 767, identical: 767 });
    expect(report.stages.lom).toEqual({ compared: 0, identical: 0 });
    expect(report.mismatches).toEqual([]);
  });

  it('prints a readable table without --json', () => {
    const r = runCli(['conformance', '--reference', SPIDER2SQLITE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/generator\s+135\s+135/);
    expect(r.stdout).toMatch(/aug\.schema\s+135\s+135/);
  });

  it('explains bad usage in one line with exit code 2', () => {
    const missing = runCli(['conformance', '--reference', '/nonexistent/set']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('share: no such folder: /nonexistent/set');
    const unknown = runCli(['conformance', '--refrence', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--refrence'");
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('share correct (CLI)', () => {
  it('prints the event stream of one recorded item', () => {
    const r = runCli(['correct', '--reference', SPIDER2SQLITE, '--idx', '2']);
    expect(r.code).toBe(0);
    for (const title of [
      'SQL → action trajectory (BAM)',
      'Mask schema (BAM)',
      'Fill schema (SAM)',
      'Fix logic (LOM)',
      'Trajectory → SQL (generator)',
    ]) {
      expect(r.stdout).toContain(`== ${title}`);
    }
    expect(r.stdout).toContain('== final SQL');
  });

  it('says when the item is not in the set', () => {
    const r = runCli(['correct', '--reference', SPIDER2SQLITE, '--idx', '9999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('item 9999 is not in spider2sqlite (it has 135 items)');
  });
});
