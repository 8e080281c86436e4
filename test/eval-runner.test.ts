import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerSqlRunner } from '../src/cli/worker-sql-runner';
import type { QueryOutcome } from '../src/core/eval/sql-runner';

let dir: string;
let dbPath: string;
const runner = new WorkerSqlRunner(1);

beforeAll(async () => {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n NUMERIC);
    INSERT INTO t VALUES (1, 1, 'a', x'00ff', '2');
    INSERT INTO t VALUES ('7', '2.5', 'é', NULL, '2.0');
    INSERT INTO t VALUES (NULL, NULL, CAST(x'ff41' AS TEXT), x'', 'x');`);
  dir = mkdtempSync(join(tmpdir(), 'share-eval-'));
  dbPath = join(dir, 'db.sqlite');
  writeFileSync(dbPath, db.export());
  db.close();
});

afterAll(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (o: QueryOutcome | undefined) => {
  if (o?.kind !== 'rows') throw new Error(`expected rows, got ${JSON.stringify(o)}`);
  return o.rows;
};
const run = (queries: string[], text: 'strict' | 'ignore' = 'ignore', timeoutMs = 10_000) =>
  runner.run({ db: dbPath, queries, timeoutMs, text });

describe('WorkerSqlRunner (sql.js, Python sqlite3 semantics)', () => {
  it('returns int, float, str, bytes and None by storage class (type affinity applied)', async () => {
    const [o] = await run(['SELECT i, r, s, b, n FROM t WHERE i IS NOT NULL ORDER BY rowid']);
    const [r1, r2] = rows(o);
    expect(r1).toEqual([1n, 1, 'a', new Uint8Array([0, 255]), 2n]);
    // '7' in an INTEGER column is stored as 7; '2.0' in NUMERIC becomes the integer 2.
    expect(r2).toEqual([7n, 2.5, 'é', null, 2n]);
    expect(typeof r1![1]).toBe('number');
  });

  it('decodes invalid UTF-8 like Python: an error by default, dropped with errors="ignore"', async () => {
    const q = 'SELECT s FROM t WHERE i IS NULL';
    const [strict] = await run([q], 'strict');
    expect(strict?.kind).toBe('error');
    expect(rows((await run([q], 'ignore'))[0])).toEqual([['A']]);
  });

  it('keeps text past a NUL and catches invalid bytes that sql.js would decode as ASCII', async () => {
    expect(rows((await run(["SELECT 'a' || char(0) || 'b'"]))[0])).toEqual([['a\0b']]);
    const q = "SELECT CAST(x'80404040' AS TEXT)";
    expect((await run([q], 'strict'))[0]?.kind).toBe('error');
    expect(rows((await run([q], 'ignore'))[0])).toEqual([['@@@']]);
  });

  it('refuses a second statement, accepts trailing comments, returns [] for no statement', async () => {
    const [two] = await run(['SELECT 1; SELECT 2']);
    expect(two).toEqual({
      kind: 'error',
      message: 'You can only execute one statement at a time.',
    });
    expect((await run(['SELECT 1;;']))[0]?.kind).toBe('error');
    expect(rows((await run(['SELECT 1; -- done']))[0])).toEqual([[1n]]);
    expect(rows((await run(['-- nothing']))[0])).toEqual([]);
  });

  it('reports SQLite errors and stops at the first failing query', async () => {
    const out = await run(['SELECT nope FROM t', 'SELECT 1']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/no such column/),
    });
  });

  it('lets a later query of a request see an earlier change, and no other request', async () => {
    const out = await run(['DELETE FROM t', 'SELECT count(*) FROM t']);
    expect(rows(out[1])).toEqual([[0n]]);
    expect(rows((await run(['SELECT count(*) FROM t']))[0])).toEqual([[3n]]);
  });

  it('stops a runaway query at the time limit and serves the next request', async () => {
    const loop =
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c';
    const started = Date.now();
    const [o] = await run([loop], 'ignore', 400);
    expect(o).toEqual({ kind: 'timeout', timeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(rows((await run(['SELECT 2']))[0])).toEqual([[2n]]);
  });

  it('reports a missing database file as an error', async () => {
    const [o] = await runner.run({
      db: join(dir, 'missing.sqlite'),
      queries: ['SELECT 1'],
      timeoutMs: 5000,
      text: 'strict',
    });
    expect(o?.kind).toBe('error');
  });
});
