/**
 * `npm run bench:load [-- --n 1000 --reference DIR]`: runs N corrections through the replay
 * engine in one process (the recorded spider2sqlite run by default) and prints throughput
 * and heap use. Also imported by test/load, which checks that memory stays flat.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadReferenceDir } from '../src/cli/reference-dir';
import { ReplayEngine } from '../src/core/engine/replay';
import { recordingOf } from '../src/core/reference/conformance';
import type { ReferenceSet } from '../src/core/reference/reference-set';
import { schemaForDb } from '../src/core/schema/from-tables-json';
import type { Schema } from '../src/core/schema/schema';
import { correct } from '../src/core/share/pipeline';
import { scriptOptions } from './script-options';

/** The heap in use after a full garbage collection, in bytes. */
export function settledHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** What one batch of corrections did. */
export interface LoadReport {
  corrections: number;
  results: number;
  errors: number;
  /** Corrections whose final SQL was compared with the recorded one. */
  checked: number;
  /** Corrections whose final SQL differs from the recorded one. */
  mismatches: number;
  ms: number;
  perSecond: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  /** Heap after GC at each tenth of the batch, in MB. */
  heapCheckpointsMB: number[];
}

/** Runs `n` corrections (cycling through the set's items) and measures time and heap. */
export async function runLoad(ref: ReferenceSet, n: number): Promise<LoadReport> {
  const engine = new ReplayEngine(recordingOf(ref));
  const schemas = new Map<string, Schema>();
  const schemaOf = (dbId: string): Schema => {
    let schema = schemas.get(dbId);
    if (!schema) {
      schema = schemaForDb(ref.tables, dbId);
      schemas.set(dbId, schema);
    }
    return schema;
  };
  const items = ref.items.filter((item) => ref.finalSql?.has(item.idx));
  if (items.length === 0) throw new Error(`${ref.name} has no item with a recorded final SQL`);
  const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const heapBefore = settledHeap();
  const checkpoints: number[] = [];
  let results = 0;
  let errors = 0;
  let mismatches = 0;
  let checked = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const item = items[i % items.length]!;
    for await (const event of correct(item, {
      engine,
      schema: schemaOf(item.dbId),
      columnMeanings: ref.columnMeanings,
      models: { bam: 'bam', sam: 'sam', lom: 'lom', generator: 'generator' },
    })) {
      if (event.type === 'result') {
        results++;
        const recorded = ref.finalSql?.get(item.idx);
        if (recorded !== undefined) {
          checked++;
          if (event.result.finalSql !== recorded) mismatches++;
        }
      } else if (event.type === 'error') {
        errors++;
      }
    }
    if ((i + 1) % Math.max(1, Math.floor(n / 10)) === 0) checkpoints.push(mb(settledHeap()));
  }
  const ms = performance.now() - started;
  return {
    corrections: n,
    results,
    errors,
    checked,
    mismatches,
    ms: Math.round(ms),
    perSecond: Math.round((n / ms) * 1000 * 10) / 10,
    heapBeforeMB: mb(heapBefore),
    heapAfterMB: mb(settledHeap()),
    heapCheckpointsMB: checkpoints,
  };
}

async function main(): Promise<void> {
  const values = scriptOptions('bench:load', {
    summary:
      'run N corrections through the replay engine in one process; print throughput and heap use',
    options: {
      n: { type: 'string', arg: 'N', help: 'corrections to run (default 1000)' },
      reference: {
        type: 'string',
        arg: 'DIR',
        help: 'the recorded run to replay (default ../shared/data/share-reference/spider2sqlite)',
      },
      json: { type: 'boolean', help: 'print one JSON object on stdout instead of a table' },
    },
  });
  const n = Number(values.n ?? 1000);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--n must be a positive integer, got "${values.n}"`);
  const dir = resolve(
    values.reference ??
      resolve(import.meta.dirname, '../../shared/data/share-reference/spider2sqlite'),
  );
  const ref = loadReferenceDir(dir);
  // A short warm-up, so JIT compilation is not counted as throughput.
  await runLoad(ref, Math.min(50, n));
  const report = await runLoad(ref, n);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ set: ref.name, ...report })}\n`);
    return;
  }
  process.stdout.write(
    [
      `set            ${dir}`,
      `corrections    ${report.corrections} (${report.results} results, ${report.errors} errors; final SQL ${report.checked - report.mismatches}/${report.checked} as recorded)`,
      `time           ${report.ms} ms`,
      `throughput     ${report.perSecond} corrections/s (${(report.perSecond * 5).toFixed(0)} stage calls/s)`,
      `heap           ${report.heapBeforeMB} MB before, ${report.heapAfterMB} MB after`,
      `checkpoints    ${report.heapCheckpointsMB.join(' → ')} MB`,
    ].join('\n') + '\n',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
