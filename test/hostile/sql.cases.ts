import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic, SqlValue } from 'sql.js';
import { expect } from 'vitest';
import { QueryRefusedError } from '../../src/core/db/errors';
import { openCheckedDatabase } from '../../src/core/db/open-check';
import { checkReadOnly } from '../../src/core/db/read-only';
import type { Cell } from '../../src/core/db/sql-database';
import { schemaFromSqlite } from '../../src/core/schema/from-sqlite';
import type { Schema } from '../../src/core/schema/schema';
import { stage1Sql } from '../../src/core/share/item';
import { SPIDER } from '../paths';
import {
  type HostileCase,
  itemFor,
  loadSqlJs,
  MODELS,
  outcome,
  plausibleAnswer,
  runCorrection,
  ScriptedEngine,
  sha256,
} from './harness';

const CONCERT_SINGER = join(SPIDER, 'database/concert_singer/concert_singer.sqlite');
const MAX_ROWS = 200;

/** What running one statement read-only gave. */
type Ran =
  | { kind: 'refused'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'rows'; columns: string[]; rows: Cell[][]; truncated: boolean };

type SqlExpectation =
  | { refused: RegExp }
  | { error: RegExp }
  | { rows: number; truncated?: boolean; check?: (rows: Cell[][]) => void };

interface SqlSpec {
  name: string;
  sql: string;
  expect: SqlExpectation;
}

const toCell = (v: SqlValue): Cell => (v instanceof Uint8Array ? { blobBytes: v.length } : v);

/**
 * Runs `sql` the way the app's sql worker does: the statement guard first, then sql.js on a
 * copy of the bytes with `PRAGMA query_only`, rows capped at MAX_ROWS.
 */
function runReadOnly(
  SQL: SqlJsStatic,
  bytes: Uint8Array,
  sql: string,
): { ran: Ran; after: string } {
  const { db } = openCheckedDatabase(SQL, bytes, { fileName: 'concert_singer.sqlite' });
  let ran: Ran;
  try {
    db.exec('PRAGMA query_only = ON');
    let text: string;
    try {
      text = checkReadOnly(sql);
    } catch (error) {
      if (!(error instanceof QueryRefusedError)) throw error;
      return { ran: { kind: 'refused', message: error.message }, after: sha256(db.export()) };
    }
    const statement = db.prepare(text);
    try {
      const rows: Cell[][] = [];
      let truncated = false;
      while (statement.step()) {
        if (rows.length >= MAX_ROWS) {
          truncated = true;
          break;
        }
        rows.push(statement.get().map(toCell));
      }
      ran = { kind: 'rows', columns: statement.getColumnNames(), rows, truncated };
    } finally {
      statement.free();
    }
  } catch (error) {
    if (error instanceof QueryRefusedError) throw error;
    ran = { kind: 'error', message: (error as Error).message };
  }
  const after = sha256(db.export());
  db.close();
  return { ran, after };
}

const SPECS: SqlSpec[] = [
  // Syntax errors: refused or failed with SQLite's own message; the pipeline still runs.
  { name: 'misspelt keyword', sql: 'SELEC Name FROM singer', expect: { refused: /not SELEC/ } },
  {
    name: 'statement cut short',
    sql: 'SELECT Name FROM singer WHERE',
    expect: { error: /incomplete input/ },
  },
  { name: 'stray comma', sql: 'SELECT Name, FROM singer', expect: { error: /syntax error/ } },
  {
    name: 'unterminated string',
    sql: "SELECT Name FROM singer WHERE Country = 'France",
    expect: { error: /unrecognized token/ },
  },
  {
    name: 'unknown column',
    sql: 'SELECT Nme FROM singer',
    expect: { error: /no such column: Nme/ },
  },
  {
    name: 'unknown table',
    sql: 'SELECT * FROM singers',
    expect: { error: /no such table: singers/ },
  },
  {
    name: 'unbalanced parentheses',
    sql: 'SELECT count(* FROM singer',
    expect: { error: /syntax error/ },
  },
  // Several statements.
  { name: 'two SELECTs', sql: 'SELECT 1; SELECT 2', expect: { refused: /one statement/ } },
  {
    name: 'a DROP after a SELECT',
    sql: 'SELECT * FROM singer; DROP TABLE singer',
    expect: { refused: /one statement/ },
  },
  {
    name: 'a DELETE hidden after a comment',
    sql: 'SELECT 1 -- harmless\n; DELETE FROM singer',
    expect: { refused: /one statement/ },
  },
  // Writes and connection changes.
  { name: 'DELETE', sql: 'DELETE FROM singer', expect: { refused: /not DELETE/ } },
  { name: 'UPDATE', sql: "UPDATE singer SET Name = 'x'", expect: { refused: /not UPDATE/ } },
  {
    name: 'INSERT',
    sql: "INSERT INTO singer (Singer_ID, Name) VALUES (99, 'x')",
    expect: { refused: /not INSERT/ },
  },
  {
    name: 'REPLACE INTO',
    sql: "REPLACE INTO singer (Singer_ID, Name) VALUES (1, 'x')",
    expect: { refused: /not REPLACE/ },
  },
  { name: 'DROP TABLE', sql: 'DROP TABLE singer', expect: { refused: /not DROP/ } },
  { name: 'CREATE TABLE', sql: 'CREATE TABLE x (a)', expect: { refused: /not CREATE/ } },
  {
    name: 'ALTER TABLE',
    sql: 'ALTER TABLE singer ADD COLUMN x TEXT',
    expect: { refused: /not ALTER/ },
  },
  {
    name: 'ATTACH (allowed by query_only: the guard must stop it)',
    sql: "ATTACH DATABASE 'other.db' AS other",
    expect: { refused: /not ATTACH/ },
  },
  { name: 'DETACH', sql: 'DETACH DATABASE main', expect: { refused: /not DETACH/ } },
  {
    name: 'PRAGMA query_only = OFF (would lift the backstop)',
    sql: 'PRAGMA query_only = OFF',
    expect: { refused: /not PRAGMA/ },
  },
  {
    name: 'PRAGMA writable_schema',
    sql: 'PRAGMA writable_schema = ON',
    expect: { refused: /not PRAGMA/ },
  },
  { name: 'VACUUM', sql: 'VACUUM', expect: { refused: /not VACUUM/ } },
  {
    name: 'VACUUM INTO a file',
    sql: "VACUUM INTO '/tmp/copy.sqlite'",
    expect: { refused: /not VACUUM/ },
  },
  { name: 'BEGIN a transaction', sql: 'BEGIN IMMEDIATE', expect: { refused: /not BEGIN/ } },
  {
    name: 'load_extension() never runs',
    sql: "SELECT load_extension('/tmp/evil.so')",
    // sql.js is built without extension loading; either refusal or SQLite's error is fine.
    expect: { error: /no such function: load_extension/ },
  },
  {
    name: 'a WITH clause leading to DELETE',
    sql: 'WITH x AS (SELECT 1) DELETE FROM singer',
    expect: { refused: /found DELETE/ },
  },
  {
    name: 'a WITH clause leading to INSERT',
    sql: "WITH x AS (SELECT 1) INSERT INTO singer (Singer_ID, Name) VALUES (98, 'y')",
    expect: { refused: /found INSERT/ },
  },
  {
    name: 'full-width letters spelling DELETE',
    sql: 'ＤＥＬＥＴＥ FROM singer',
    expect: { refused: /not ＤＥＬＥＴＥ/ },
  },
  {
    name: 'nothing but a comment',
    sql: '/* just a comment */ -- and another',
    expect: { refused: /no SQL statement/ },
  },
  // Read-only queries that must run (and did not, before the guard was fixed).
  {
    name: 'a DROP inside a string literal runs as a query',
    sql: "SELECT Name FROM singer WHERE Name = 'a; DROP TABLE singer'",
    expect: { rows: 0 },
  },
  {
    name: 'a CASE … END expression runs',
    sql: "SELECT Name, CASE WHEN Age > 40 THEN 'older' ELSE 'younger' END FROM singer",
    expect: { rows: 6 },
  },
  {
    name: 'the replace() function runs',
    sql: "SELECT replace(Name, 'a', 'A') FROM singer WHERE Singer_ID = 1",
    expect: { rows: 1, check: (rows) => expect(rows[0]![0]).toBe('Joe ShArp') },
  },
  {
    name: 'keywords SQLite allows as names (begin, end, release) run',
    sql: 'SELECT 1 AS begin, 2 AS end, 3 AS release',
    expect: { rows: 1 },
  },
  {
    name: 'a commented, semicolon-terminated query runs',
    sql: '  /* count */ select count(*) from singer;  -- done',
    expect: { rows: 1, check: (rows) => expect(rows[0]![0]).toBe(6) },
  },
  // Runaway results: the row cap stops them.
  {
    name: 'a recursive CTE that never ends is cut at the row cap',
    sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c',
    expect: { rows: MAX_ROWS, truncated: true },
  },
  {
    name: 'a cross join of 6^8 rows is cut at the row cap',
    sql: 'SELECT * FROM singer a, singer b, singer c, singer d, singer e, singer f, singer g, singer h',
    expect: { rows: MAX_ROWS, truncated: true },
  },
  {
    name: 'a 20 MB blob comes back as its size, not its bytes',
    sql: 'SELECT zeroblob(20000000) AS big',
    expect: { rows: 1, check: (rows) => expect(rows[0]![0]).toEqual({ blobBytes: 20_000_000 }) },
  },
  {
    name: 'a blob over SQLite’s limit fails with its message',
    sql: 'SELECT zeroblob(2000000000)',
    expect: { error: /string or blob too big/ },
  },
];

/** The SQL cases: guard + read-only execution (hashes before/after) + the pipeline runs. */
export async function sqlCases(): Promise<HostileCase[]> {
  const SQL = await loadSqlJs();
  const stored = new Uint8Array(readFileSync(CONCERT_SINGER));
  const storedHash = sha256(stored);
  const pristine = openCheckedDatabase(SQL, stored).db;
  const pristineExport = sha256(pristine.export());
  const schema: Schema = schemaFromSqlite(pristine, 'concert_singer');
  pristine.close();
  return SPECS.map((spec) => ({
    category: 'sql',
    name: spec.name,
    expected:
      'refused' in spec.expect
        ? 'refused before it runs'
        : 'error' in spec.expect
          ? "SQLite's error, nothing runs"
          : `${spec.expect.rows} rows${spec.expect.truncated ? ' (capped)' : ''}`,
    async run() {
      const { ran, after } = runReadOnly(SQL, stored, spec.sql);
      // Neither the stored bytes, the file, nor the open copy changed.
      expect(sha256(stored), 'stored bytes modified').toBe(storedHash);
      expect(sha256(readFileSync(CONCERT_SINGER)), 'database file modified').toBe(storedHash);
      expect(after, 'the open database was modified').toBe(pristineExport);
      const e = spec.expect;
      if ('refused' in e) {
        expect(ran.kind === 'refused' ? ran.message : JSON.stringify(ran)).toMatch(e.refused);
      } else if ('error' in e) {
        expect(ran.kind === 'error' ? ran.message : JSON.stringify(ran)).toMatch(e.error);
      } else {
        expect(ran.kind, JSON.stringify(ran)).toBe('rows');
        if (ran.kind === 'rows') {
          expect(ran.rows).toHaveLength(e.rows);
          expect(ran.truncated).toBe(e.truncated ?? false);
          e.check?.(ran.rows);
        }
      }
      // Whatever the SQL, it is still correctable: the pipeline runs to a result.
      const engine = new ScriptedEngine((_req, stage) => plausibleAnswer(stage));
      const events = await runCorrection(itemFor(schema, spec.sql), {
        engine,
        schema,
        models: MODELS,
      });
      const end = outcome(events);
      expect(end.type, end.type === 'error' ? end.message : '').toBe('result');
      const firstPrompt = engine.calls[0]!.messages[1]!.content;
      expect(firstPrompt).toContain(`sql = "${stage1Sql(spec.sql)}"`);
    },
  }));
}
