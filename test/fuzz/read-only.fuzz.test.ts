import fc from 'fast-check';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryRefusedError } from '../../src/core/db/errors';
import { checkReadOnly } from '../../src/core/db/read-only';
import { sha256 } from '../hostile/harness';
import { FUZZ_SEED, hostileString, withinTime } from './arbitraries';

const TIME_MS = 1_000;

// Fragments an attacker (or a confused model) would combine to sneak a write through.
const FRAGMENTS = [
  'SELECT 1',
  'SELECT * FROM t',
  'SELECT a FROM t WHERE a = 1',
  'VALUES (1)',
  'WITH x AS (SELECT 1)',
  'WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM x WHERE n < 3)',
  'SELECT n FROM x',
  'DELETE FROM t',
  'INSERT INTO t VALUES (9)',
  'REPLACE INTO t VALUES (9)',
  'UPDATE t SET a = 2',
  'DROP TABLE t',
  'CREATE TABLE u (a)',
  'ALTER TABLE t ADD COLUMN b',
  "ATTACH ':memory:' AS m",
  'PRAGMA user_version = 7',
  'VACUUM',
  'BEGIN',
  'COMMIT',
  'END',
  'CASE WHEN 1 THEN 2 END',
  'replace(a, 1, 2)',
  'AS',
  ',',
  ';',
  ';;',
  '--',
  '\n',
  '/*',
  '*/',
  "'",
  "';",
  '"',
  '`',
  '[',
  ']',
  '(',
  ')',
  'RETURNING *',
  'ON CONFLICT DO UPDATE SET a = 3',
];

const sqlText = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 1, arbitrary: hostileString(6) },
    ),
    {
      minLength: 1,
      maxLength: 10,
    },
  )
  .map((parts) => parts.join(' '));

describe('read-only guard (fuzz)', () => {
  let SQL: SqlJsStatic;
  let pristine: Uint8Array;
  beforeAll(async () => {
    SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec('CREATE TABLE t (a); INSERT INTO t VALUES (1), (2);');
    pristine = db.export();
    db.close();
  });

  it('throws nothing but QueryRefusedError, quickly', () => {
    fc.assert(
      fc.property(fc.oneof(sqlText, hostileString(200)), (sql) => {
        try {
          withinTime(TIME_MS, () => checkReadOnly(sql));
        } catch (error) {
          if (!(error instanceof QueryRefusedError)) throw error;
        }
      }),
      { seed: FUZZ_SEED, numRuns: 2000 },
    );
  });

  it('never lets a write through: what it accepts leaves the database unchanged even without query_only', () => {
    const before = sha256(pristine);
    let accepted = 0;
    fc.assert(
      fc.property(sqlText, (sql) => {
        let text: string;
        try {
          text = checkReadOnly(sql);
        } catch (error) {
          if (error instanceof QueryRefusedError) return;
          throw error;
        }
        accepted++;
        const db = new SQL.Database(pristine);
        try {
          // exec runs every statement of the text: the strictest way to execute it.
          db.exec(text);
        } catch {
          // SQLite rejecting the text is fine; only a change would not be.
        }
        const after = sha256(db.export());
        db.close();
        expect(after, `accepted and wrote: ${JSON.stringify(sql)}`).toBe(before);
      }),
      { seed: FUZZ_SEED, numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
