import { expect, it } from 'vitest';
import { runLoad } from '../../scripts/bench-load';
import { loadReferenceDir } from '../../src/cli/reference-dir';
import { SPIDER2SQLITE } from '../paths';

// Issue 6, part 5: 1,000 corrections in one process keep memory flat and all complete.
it('runs 1,000 replay corrections with a flat heap', async () => {
  const ref = loadReferenceDir(SPIDER2SQLITE);
  await runLoad(ref, 30); // warm-up: JIT, lazily built caches
  const report = await runLoad(ref, 1000);
  console.log(
    `load: ${report.corrections} corrections in ${report.ms} ms (${report.perSecond}/s); ` +
      `heap ${report.heapBeforeMB} MB before, ${report.heapAfterMB} MB after; ` +
      `checkpoints ${report.heapCheckpointsMB.join(' → ')} MB`,
  );
  expect(report.results).toBe(1000);
  expect(report.errors).toBe(0);
  expect(report.checked).toBeGreaterThan(990);
  expect(report.mismatches).toBe(0);
  // Flat: no growth with the number of corrections beyond noise. A leak of one event
  // stream per correction (tens of kB) would add tens of MB over 1,000.
  expect(report.heapAfterMB - report.heapBeforeMB).toBeLessThan(8);
  const [first, ...rest] = report.heapCheckpointsMB;
  for (const mb of rest) expect(mb - first!).toBeLessThan(8);
}, 120_000);
