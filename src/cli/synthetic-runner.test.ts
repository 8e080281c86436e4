import { existsSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import type { TablesJsonEntry } from '../core/schema/from-tables-json';
import { initSqlParser } from '../core/sql/parse';
import type { RoundtripOutcome } from '../core/sr/roundtrip';
import { syntheticRoundtrip } from '../core/sr/synthetic-db';
import { workerSyntheticRunner } from './synthetic-runner';

const entry: TablesJsonEntry = {
  db_id: 'parts',
  table_names_original: ['part'],
  column_names_original: [
    [-1, '*'],
    [0, 'id'],
    [0, 'name'],
  ],
  column_types: ['text', 'number', 'text'],
  primary_keys: [1],
  foreign_keys: [],
};

describe('workerSyntheticRunner', () => {
  it('ends a query that never ends at the time limit, counts it as a miss and goes on', async () => {
    await initSqlParser();
    const SQL = await initSqlJs();
    const runner = workerSyntheticRunner(500);
    const misses: RoundtripOutcome[] = [];
    const report = await syntheticRoundtrip(
      SQL,
      [
        // Made-up rows can make a recursive walk cycle forever; this one never stops anywhere.
        {
          dbId: 'parts',
          sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c',
          candidate: { sql: 'SELECT 1' },
        },
        { dbId: 'parts', sql: "SELECT name FROM part WHERE name = 'bolt'" },
        { dbId: 'parts', sql: 'SELECT COUNT(*) FROM part', candidate: { sql: 'SELECT 40' } },
        { dbId: 'parts', sql: 'SELECT COUNT(*) FROM part', candidate: { problem: 'not compiled' } },
      ],
      [entry],
      { seed: 1, runner },
      (_db, _sql, outcome) => misses.push(outcome),
    );
    await runner.close();
    expect(report).toMatchObject({ total: 4, goldRuns: 3, compiled: 3, executionMatch: 2 });
    expect(misses.map((m) => m.problem)).toEqual([
      'gold: time limit (500 ms) passed',
      'not compiled',
    ]);
  }, 30_000);

  it('removes its folder of made-up databases when closed', async () => {
    await initSqlParser();
    const SQL = await initSqlJs();
    const runner = workerSyntheticRunner(10_000);
    expect(existsSync(runner.folder)).toBe(true);
    const report = await syntheticRoundtrip(
      SQL,
      [{ dbId: 'parts', sql: 'SELECT id FROM part' }],
      [entry],
      { runner },
    );
    expect(report).toMatchObject({ total: 1, executionMatch: 1 });
    await runner.close();
    expect(existsSync(runner.folder)).toBe(false);
  }, 30_000);
});
