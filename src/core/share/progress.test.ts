import { describe, expect, it } from 'vitest';
import type { CorrectionResult, ShareEvent } from './pipeline';
import { progressAnnouncement, rowCount } from './progress';

const start = (stage: 'bam' | 'lom' | 'generator', model: string, attempt = 1): ShareEvent => ({
  type: 'stage-start',
  stage,
  model,
  prompt: 'p',
  attempt,
});
const result = (finalSql?: string): ShareEvent => ({
  type: 'result',
  result: { finalSql } as CorrectionResult,
});

describe('progressAnnouncement', () => {
  const sql = 'SELECT name\nFROM t;';

  it('names each stage, its place, and how it runs', () => {
    expect(progressAnnouncement(start('bam', 'bam'), sql)).toBe(
      'Stage 1 of 5: SQL → action trajectory (BAM).',
    );
    expect(progressAnnouncement(start('lom', 'lom', 2), sql)).toBe(
      'Stage 4 of 5: Fix logic (LOM), attempt 2.',
    );
    expect(progressAnnouncement(start('generator', 'deterministic'), sql)).toBe(
      'Stage 5 of 5: Trajectory → SQL (generator), without a model.',
    );
  });

  it('tells corrected SQL from the same SQL handed back, and no SQL at all', () => {
    expect(progressAnnouncement(result('SELECT name FROM t WHERE x = 1'), sql)).toBe(
      'Correction finished: the corrected SQL is ready.',
    );
    // Layout and a closing semicolon are not changes.
    expect(progressAnnouncement(result('SELECT name  FROM t'), sql)).toBe(
      'Correction finished: the SQL is unchanged.',
    );
    expect(progressAnnouncement(result(undefined), sql)).toMatch(/without corrected SQL/);
  });

  it('stays quiet on tokens, stage ends and errors (errors have an alert of their own)', () => {
    expect(progressAnnouncement({ type: 'token', stage: 'bam', text: 'x' }, sql)).toBeUndefined();
    const error = new Error('boom');
    expect(
      progressAnnouncement({ type: 'error', message: 'boom', cancelled: false, error }, sql),
    ).toBeUndefined();
  });

  it('reads row counts out', () => {
    expect([0, 1, 7].map(rowCount)).toEqual(['no rows', '1 row', '7 rows']);
  });
});
