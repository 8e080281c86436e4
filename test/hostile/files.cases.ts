import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { expect } from 'vitest';
import { checkDatabaseFile, type DbFileProblem } from '../../src/core/db/open-check';
import { SPIDER } from '../paths';
import { type HostileCase, loadSqlJs, runCli, STACK_TRACE, seededBytes, sha256 } from './harness';

const CONCERT_SINGER = join(SPIDER, 'database/concert_singer/concert_singer.sqlite');

/** The outcome a file case expects from the open check. */
type FileExpectation =
  | { ok: false; problem: DbFileProblem; message: RegExp }
  | { ok: true; warning?: RegExp };

interface FileSpec {
  name: string;
  /** The file name the user's file has (odd characters on purpose in some cases). */
  fileName: string;
  make(SQL: SqlJsStatic, base: Uint8Array): Uint8Array;
  maxBytes?: number;
  expect: FileExpectation;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

function patched(base: Uint8Array, patch: (b: Uint8Array) => void): Uint8Array {
  const copy = new Uint8Array(base);
  patch(copy);
  return copy;
}

/** A database of about `mb` megabytes of blobs, made here (no data file involved). */
function bigDatabase(SQL: SqlJsStatic, mb: number): Uint8Array {
  const db = new SQL.Database();
  db.run('CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)');
  const stmt = db.prepare('INSERT INTO blobs (data) VALUES (zeroblob(?))');
  for (let i = 0; i < mb * 16; i++) stmt.run([64 * 1024]);
  stmt.free();
  const bytes = db.export();
  db.close();
  return bytes;
}

const PAGE = 4096; // concert_singer's page size (checked by the "valid" case below)

const SPECS: FileSpec[] = [
  {
    name: 'a valid Spider database opens',
    fileName: 'concert_singer.sqlite',
    make: (_SQL, base) => base,
    expect: { ok: true },
  },
  {
    name: 'an empty file',
    fileName: 'empty.sqlite',
    make: () => new Uint8Array(0),
    expect: { ok: false, problem: 'empty', message: /is empty \(0 bytes\)/ },
  },
  {
    name: 'one byte that is not "S"',
    fileName: 'one.db',
    make: () => new Uint8Array([0]),
    expect: { ok: false, problem: 'not-sqlite', message: /not a SQLite database/ },
  },
  {
    name: 'one byte "S", the start of the magic string',
    fileName: 'S.db',
    make: () => ascii('S'),
    expect: {
      ok: false,
      problem: 'truncated',
      message: /only 1 byte, shorter than a SQLite header/,
    },
  },
  {
    name: 'a CSV text file',
    fileName: 'export.csv.sqlite',
    make: () => ascii('id,name\n1,Ann\n2,Bob\n'),
    expect: { ok: false, problem: 'not-sqlite', message: /looks like a text file/ },
  },
  {
    name: 'a SQL dump saved as .sqlite',
    fileName: 'dump.sqlite',
    make: () => ascii('CREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (1);\n'),
    expect: { ok: false, problem: 'not-sqlite', message: /SQL dump or CSV must be imported/ },
  },
  {
    name: 'a PNG image',
    fileName: 'photo.png.db',
    make: () => {
      const png = seededBytes(1, 2048);
      png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      return png;
    },
    expect: { ok: false, problem: 'not-sqlite', message: /looks like a PNG image/ },
  },
  {
    name: 'a gzip-compressed database',
    fileName: 'db.sqlite.gz',
    make: () => {
      const gz = seededBytes(2, 1024);
      gz.set([0x1f, 0x8b, 0x08]);
      return gz;
    },
    expect: { ok: false, problem: 'not-sqlite', message: /gzip archive: decompress it first/ },
  },
  {
    name: 'a ZIP archive',
    fileName: 'db.zip',
    make: () => {
      const zip = seededBytes(3, 1024);
      zip.set([0x50, 0x4b, 0x03, 0x04]);
      return zip;
    },
    expect: { ok: false, problem: 'not-sqlite', message: /ZIP archive/ },
  },
  {
    name: 'an encrypted database (random-looking bytes, as SQLCipher writes)',
    fileName: 'secret.sqlite',
    make: () => seededBytes(4, 8 * PAGE),
    expect: { ok: false, problem: 'not-sqlite', message: /may be encrypted \(SQLCipher/ },
  },
  {
    name: 'the 100-byte header alone',
    fileName: 'header-only.sqlite',
    make: (_SQL, base) => base.slice(0, 100),
    expect: { ok: false, problem: 'truncated', message: /header says 9 pages of 4096 bytes/ },
  },
  {
    name: 'a database cut in the middle of a page',
    fileName: 'partial download.sqlite',
    make: (_SQL, base) => base.slice(0, 5000),
    expect: { ok: false, problem: 'truncated', message: /5000 bytes but its header says 9 pages/ },
  },
  {
    name: 'a database cut at a page boundary',
    fileName: 'cut.sqlite',
    make: (_SQL, base) => base.slice(0, 3 * PAGE),
    expect: { ok: false, problem: 'truncated', message: /interrupted download or copy/ },
  },
  {
    name: 'a cut database whose header page count is stale',
    fileName: 'old-writer.sqlite',
    make: (_SQL, base) =>
      patched(base.slice(0, 3 * PAGE + 17), (b) => {
        b[95] = (b[95]! + 1) & 0xff; // version-valid-for no longer matches the change counter
      }),
    expect: { ok: false, problem: 'truncated', message: /not a whole number of 4096-byte pages/ },
  },
  {
    name: 'a corrupted b-tree page (cell pointer out of range)',
    fileName: 'corrupt-cell.sqlite',
    make: (_SQL, base) =>
      patched(base, (b) => {
        b[2 * PAGE + 8] = 0xff; // page 3, first cell pointer
        b[2 * PAGE + 9] = 0xff;
      }),
    expect: { ok: false, problem: 'corrupt', message: /damaged \(integrity check: Tree 3 page 3/ },
  },
  {
    name: 'a corrupted page type byte',
    fileName: 'corrupt-type.sqlite',
    make: (_SQL, base) =>
      patched(base, (b) => {
        b[2 * PAGE] = 0x42;
      }),
    expect: { ok: false, problem: 'corrupt', message: /damaged.*btreeInitPage/ },
  },
  {
    name: 'a corrupted schema page (garbage over page 1 after the header)',
    fileName: 'corrupt-schema.sqlite',
    make: (_SQL, base) =>
      patched(base, (b) => {
        b.set(seededBytes(5, 400), 100);
      }),
    expect: { ok: false, problem: 'corrupt', message: /damaged.*malformed/ },
  },
  {
    name: 'a freelist count that lies',
    fileName: 'freelist.sqlite',
    make: (_SQL, base) =>
      patched(base, (b) => {
        b[39] = 9;
      }),
    expect: { ok: false, problem: 'corrupt', message: /Freelist: size is 0 but should be 9/ },
  },
  {
    name: 'damaged payload fractions in the header',
    fileName: 'fractions.sqlite',
    make: (_SQL, base) =>
      patched(base, (b) => {
        b[21] = 1;
      }),
    expect: { ok: false, problem: 'corrupt', message: /header is damaged/ },
  },
  {
    name: 'an invalid page size',
    fileName: 'pagesize.sqlite',
    make: (_SQL, base) =>
      patched(base, (b) => {
        b[16] = 0x03;
        b[17] = 0xe8; // 1000
      }),
    expect: { ok: false, problem: 'unsupported-format', message: /invalid page size \(1000\)/ },
  },
  {
    name: 'a file format version this SQLite cannot read',
    fileName: 'future.sqlite',
    make: (_SQL, base) =>
      patched(base, (b) => {
        b[18] = 3;
        b[19] = 3;
      }),
    expect: { ok: false, problem: 'unsupported-format', message: /file format version is 3/ },
  },
  {
    name: 'a WAL-mode database opens with a warning about its -wal file',
    fileName: 'wal-mode.sqlite',
    make: (_SQL, base) =>
      patched(base, (b) => {
        b[18] = 2;
        b[19] = 2;
      }),
    expect: { ok: true, warning: /WAL mode: changes still in its "-wal" file/ },
  },
  {
    name: 'trailing bytes after the last page open with a warning',
    fileName: 'trailing.sqlite',
    make: (_SQL, base) => {
      const b = new Uint8Array(base.length + 100);
      b.set(base);
      return b;
    },
    expect: { ok: true, warning: /100 bytes after its last page/ },
  },
  {
    name: 'a database over the memory budget (2 MB made here, budget 1 MB)',
    fileName: 'big.sqlite',
    make: (SQL) => bigDatabase(SQL, 2),
    maxBytes: 1024 * 1024,
    expect: { ok: false, problem: 'too-large', message: /more than the memory budget of 1\.0 MB/ },
  },
  {
    name: 'odd characters in the file name (spaces, accents, emoji, quotes)',
    fileName: `données (copie) #1 'x' "y" ✓🙂.sqlite`,
    make: () => ascii('not a database'),
    expect: {
      ok: false,
      problem: 'not-sqlite',
      message: /"données \(copie\) #1 'x' "y" ✓🙂\.sqlite"/,
    },
  },
  {
    name: 'a newline in the file name cannot forge a second message line',
    fileName: 'a\nCannot open b.sqlite: fake.sqlite',
    make: () => ascii('x'),
    expect: { ok: false, problem: 'not-sqlite', message: /^Cannot open "a\\u000aCannot open b/ },
  },
  {
    name: 'a 250-character file name is shortened in messages',
    fileName: `${'n'.repeat(240)}.sqlite`,
    make: () => new Uint8Array(0),
    expect: {
      ok: false,
      problem: 'empty',
      message: /^Cannot open "n{80}…n{23}\.sqlite": it is empty/,
    },
  },
];

/** The file cases, each checked through the core (and, all together, through the CLI). */
export async function fileCases(): Promise<HostileCase[]> {
  const SQL = await loadSqlJs();
  const base = new Uint8Array(readFileSync(CONCERT_SINGER));
  const made = SPECS.map((spec) => ({ spec, bytes: spec.make(SQL, base) }));
  const cases: HostileCase[] = made.map(({ spec, bytes }) => ({
    category: 'files',
    name: spec.name,
    expected: spec.expect.ok ? 'opens' : `refused as ${spec.expect.problem}`,
    async run() {
      const before = sha256(bytes);
      const result = checkDatabaseFile(SQL, bytes, {
        fileName: spec.fileName,
        maxBytes: spec.maxBytes,
      });
      expect(sha256(bytes), 'the checked bytes were modified').toBe(before);
      if (spec.expect.ok) {
        expect(result.ok ? 'ok' : result.error.message).toBe('ok');
        if (result.ok) {
          const warnings = result.warnings.join('\n');
          if (spec.expect.warning) expect(warnings).toMatch(spec.expect.warning);
          else expect(result.warnings).toEqual([]);
        }
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.problem).toBe(spec.expect.problem);
          expect(result.error.message).toMatch(spec.expect.message);
          expect(result.error.message).not.toMatch(/[\n\r]/);
        }
      }
    },
  }));
  cases.push({
    category: 'cli',
    name: 'check-db reports every file case as the core does (files written with their odd names)',
    expected: 'exit 1, one JSON entry per file with the same verdict and message',
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'share-hostile-'));
      try {
        // Names with a newline or over 255 bytes cannot exist on disk; the CLI gets the rest.
        const onDisk = made.filter(
          ({ spec }) =>
            !spec.fileName.includes('\n') &&
            Buffer.byteLength(spec.fileName) < 255 &&
            spec.maxBytes === undefined,
        );
        const paths = onDisk.map(({ spec, bytes }, i) => {
          const path = join(dir, `${i}-${spec.fileName}`);
          writeFileSync(path, bytes);
          return path;
        });
        const hashes = paths.map((p) => sha256(readFileSync(p)));
        const run = await runCli(['check-db', '--json', '--', ...paths]);
        expect(run.stderr).not.toMatch(STACK_TRACE);
        expect(run.code).toBe(1);
        const entries = JSON.parse(run.stdout) as {
          ok: boolean;
          problem?: string;
          message?: string;
        }[];
        expect(entries).toHaveLength(onDisk.length);
        onDisk.forEach(({ spec }, i) => {
          const entry = entries[i]!;
          expect(entry.ok, spec.name).toBe(spec.expect.ok);
          if (!spec.expect.ok) {
            expect(entry.problem, spec.name).toBe(spec.expect.problem);
            expect(entry.message, spec.name).toMatch(/^Cannot open "\d+-/);
          }
        });
        expect(
          paths.map((p) => sha256(readFileSync(p))),
          'check-db modified a file',
        ).toEqual(hashes);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
  cases.push({
    category: 'cli',
    name: 'check-db refuses a file over --max-mb without reading it all',
    expected: 'exit 1, too-large, message names the budget',
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'share-hostile-'));
      try {
        const path = join(dir, 'big one.sqlite');
        writeFileSync(path, bigDatabase(SQL, 2));
        const run = await runCli(['check-db', '--max-mb', '1', path]);
        expect(run.code).toBe(1);
        expect(run.stdout).toMatch(
          /Cannot open "big one\.sqlite": it is 2\.\d MB, more than the memory budget of 1\.0 MB/,
        );
        expect(run.stderr).not.toMatch(STACK_TRACE);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
  return cases;
}
