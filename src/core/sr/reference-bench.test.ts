import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIRD_DEV_EVEN } from '../../../test/paths';
import { parseReferenceSet } from '../reference/reference-set';
import { initSqlParser } from '../sql/parse';
import { runSrBench } from './reference-bench';

const FILES = [
  'dev.json',
  'tables.json',
  'baseline_sql.json',
  'column_meaning.json',
  'original_traj.jsonl',
  'masked_traj.jsonl',
];

beforeAll(() => initSqlParser());

describe('runSrBench on bird-dev-even', () => {
  it('reports the contract shape and meets the parse and masking targets', () => {
    const ref = parseReferenceSet(
      'bird-dev-even',
      new Map(FILES.map((f) => [f, readFileSync(join(BIRD_DEV_EVEN, f), 'utf8')])),
    );
    const report = runSrBench(ref);
    expect(Object.keys(report)).toEqual(['parse', 'mask', 'sqlToSr']);
    expect(Object.keys(report.mask)).toEqual(['compared', 'exactVsModel', 'complete']);
    expect(report.parse.sr.ok / report.parse.sr.total).toBeGreaterThanOrEqual(0.99);
    expect(report.mask.complete).toBe(report.mask.compared);
    expect(report.mask.exactVsModel / report.mask.compared).toBeGreaterThanOrEqual(0.65);
    // Below the targets (60% exact, 0.85 similarity): a floor against regressions.
    expect(report.sqlToSr.exact / report.sqlToSr.compared).toBeGreaterThanOrEqual(0.45);
    expect(report.sqlToSr.stepSimilarity).toBeGreaterThanOrEqual(0.6);
  });
});
