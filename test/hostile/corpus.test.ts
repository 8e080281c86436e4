/**
 * Issue 6's hostile-input corpus: every case drives one hostile input through a public
 * interface (core functions, the HTTP engine against loopback servers, or the CLI) and
 * checks the expected outcome: a clear message naming what is wrong, nothing crashes,
 * nothing the user owns is modified.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cliCases } from './cli.cases';
import { dataCases } from './data.cases';
import { engineCases } from './engines.cases';
import { fileCases } from './files.cases';
import type { HostileCase } from './harness';
import { manifestCases } from './manifest.cases';
import { modelOutputCases } from './model-output.cases';
import { sqlCases } from './sql.cases';

const groups: HostileCase[][] = await Promise.all([
  fileCases(),
  sqlCases(),
  dataCases(),
  modelOutputCases(),
  engineCases(),
  manifestCases(),
  cliCases(),
]);
const cases = groups.flat();
const handled = new Set<string>();

describe('hostile-input corpus', () => {
  for (const c of cases) {
    it(`[${c.category}] ${c.name} → ${c.expected}`, async () => {
      await c.run();
      handled.add(`${c.category}/${c.name}`);
    });
  }

  it('names every case once', () => {
    const names = cases.map((c) => `${c.category}/${c.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  afterAll(() => {
    const byCategory = new Map<string, number>();
    for (const c of cases) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
    const summary = [...byCategory].map(([k, n]) => `${k} ${n}`).join(', ');
    const status =
      handled.size === cases.length ? 'all handled' : `${cases.length - handled.size} NOT handled`;
    console.log(`hostile corpus: ${cases.length} cases, ${status} (${summary})`);
  });
});
