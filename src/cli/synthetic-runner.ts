import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyntheticRunner } from '../core/sr/synthetic-db';
import { runOne, WorkerSqlRunner } from './worker-sql-runner';

/**
 * A `SyntheticRunner` for Node that cannot hang: each made-up database is written to a file
 * in a private temporary folder and its queries run in a worker thread that is ended past
 * `timeoutMs` (as `roundtrip` runs real databases), so a query that never ends costs one miss.
 * `close()` ends the worker and removes the folder.
 */
export function workerSyntheticRunner(timeoutMs: number): SyntheticRunner & {
  /** The temporary folder the databases are written to. */
  folder: string;
  close(): Promise<void>;
} {
  const runner = new WorkerSqlRunner(1);
  const dir = mkdtempSync(join(tmpdir(), 'share-synthetic-'));
  let opened = 0;
  return {
    folder: dir,
    async open(db) {
      const file = join(dir, `${opened++}.sqlite`);
      writeFileSync(file, db.export());
      return {
        run: (sql) => runOne(runner, file, sql, timeoutMs),
        async close() {
          rmSync(file, { force: true });
        },
      };
    },
    async close() {
      await runner.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
