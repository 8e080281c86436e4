import type { Database, SqlJsStatic } from 'sql.js';

/** What is wrong with a file offered as a SQLite database. */
export type DbFileProblem =
  | 'empty'
  | 'not-sqlite'
  | 'truncated'
  | 'unsupported-format'
  | 'too-large'
  | 'corrupt';

/** A file cannot be used as a database; `message` names the file and says what to do. */
export class DbFileError extends Error {
  override readonly name = 'DbFileError';
  constructor(
    readonly problem: DbFileProblem,
    readonly fileName: string,
    message: string,
  ) {
    super(message);
  }
}

/** The fields of the 100-byte SQLite header that decide whether we can open a file. */
export interface SqliteHeader {
  /** Bytes per page (512 to 65536). */
  pageSize: number;
  /** Pages according to the header, or derived from the file size when the header's is stale. */
  pageCount: number;
  /** 1 = rollback journal, 2 = WAL (bytes 18 and 19). */
  writeVersion: number;
  readVersion: number;
  /** The file was last used in WAL mode. */
  walMode: boolean;
  /** Bytes reserved at the end of each page (used by checksum and encryption extensions). */
  reservedBytes: number;
  /** Size of the file in bytes. */
  fileBytes: number;
}

/** Limits applied when checking a file. */
export interface OpenCheckOptions {
  /** Shown in messages ("the file" when omitted). */
  fileName?: string;
  /** Largest database accepted, in bytes: sql.js keeps the whole database in memory. */
  maxBytes?: number;
  /**
   * Size of the whole file when `bytes` holds only its beginning, so a caller can refuse a
   * file over the budget after reading its header alone.
   */
  totalBytes?: number;
}

/** A default memory budget: sql.js holds the whole database (plus query memory) in wasm. */
export const DEFAULT_MAX_DB_BYTES = 512 * 1024 * 1024;

/** A database that passed every check, with what the checks found worth telling the user. */
export interface CheckedDatabase {
  db: Database;
  header: SqliteHeader;
  warnings: string[];
}

/** The outcome of `checkDatabaseFile`: the header and warnings, or the error to show. */
export type OpenCheckResult =
  | { ok: true; header: SqliteHeader; warnings: string[] }
  | { ok: false; error: DbFileError };

const MAGIC = 'SQLite format 3\u0000';
/** Length of a SQLite file header. */
export const SQLITE_HEADER_BYTES = 100;
const MAX_QUICK_CHECK_LINES = 3;

/** A file name fit for a one-line message: control characters escaped, length capped. */
export function displayFileName(name: string): string {
  const escaped = name.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const chars = [...escaped];
  return chars.length > 120
    ? `${chars.slice(0, 80).join('')}…${chars.slice(-30).join('')}`
    : escaped;
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((v, i) => bytes[i] === v);
}

/** A guess at what a non-SQLite file is, so the message can say more than "not SQLite". */
function describeForeign(bytes: Uint8Array): string {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'it looks like a PNG image';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'it looks like a JPEG image';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'it looks like a PDF document';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'it looks like a ZIP archive';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'it looks like a gzip archive: decompress it first';
  const head = bytes.subarray(0, 512);
  let text = 0;
  for (const b of head) if (b === 9 || b === 10 || b === 13 || (b >= 0x20 && b !== 0x7f)) text++;
  if (text === head.length) {
    return 'it looks like a text file (a SQL dump or CSV must be imported into SQLite first)';
  }
  return 'it may be encrypted (SQLCipher and similar formats are not supported) or another format';
}

/**
 * Reads and checks the SQLite header of `bytes` without opening it: magic string, page size,
 * file format versions, file size against the header's page count, and the memory budget.
 * Throws a DbFileError naming the problem; never modifies `bytes`.
 */
export function readSqliteHeader(bytes: Uint8Array, options: OpenCheckOptions = {}): SqliteHeader {
  const name =
    options.fileName === undefined ? 'the file' : `"${displayFileName(options.fileName)}"`;
  const size = options.totalBytes ?? bytes.length;
  const fail = (problem: DbFileProblem, message: string): never => {
    throw new DbFileError(problem, name, `Cannot open ${name}: ${message}`);
  };
  if (size === 0) fail('empty', 'it is empty (0 bytes).');
  const magic = [...MAGIC].map((c) => c.charCodeAt(0));
  const magicLength = Math.min(bytes.length, magic.length);
  const magicSoFar = startsWith(bytes, magic.slice(0, magicLength));
  if (!magicSoFar) fail('not-sqlite', `it is not a SQLite database; ${describeForeign(bytes)}.`);
  if (bytes.length < SQLITE_HEADER_BYTES) {
    fail(
      'truncated',
      `it is only ${bytes.length} byte${bytes.length === 1 ? '' : 's'}, shorter than a SQLite header (100 bytes): the file is incomplete.`,
    );
  }
  const rawPageSize = u16(bytes, 16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    fail('unsupported-format', `its header gives an invalid page size (${rawPageSize}).`);
  }
  const writeVersion = bytes[18]!;
  const readVersion = bytes[19]!;
  if (readVersion > 2 || readVersion < 1) {
    fail(
      'unsupported-format',
      `its file format version is ${readVersion}; this SQLite reads versions 1 (rollback journal) and 2 (WAL).`,
    );
  }
  const reservedBytes = bytes[20]!;
  if (bytes[21] !== 64 || bytes[22] !== 32 || bytes[23] !== 32) {
    fail('corrupt', 'its header is damaged (the payload fractions at bytes 21-23 are wrong).');
  }
  if (options.maxBytes !== undefined && size > options.maxBytes) {
    fail(
      'too-large',
      `it is ${mb(size)}, more than the memory budget of ${mb(options.maxBytes)}: ` +
        'the whole database is held in memory here. Use a smaller extract of it.',
    );
  }
  // The page count at offset 28 is valid only when the change counter (24) matches the
  // version-valid-for number (92); older writers leave it stale.
  const headerPages = u32(bytes, 28);
  const headerValid = headerPages > 0 && u32(bytes, 24) === u32(bytes, 92);
  if (headerValid && size < headerPages * pageSize) {
    fail(
      'truncated',
      `it is ${size} bytes but its header says ${headerPages} pages of ${pageSize} bytes ` +
        `(${headerPages * pageSize} bytes): the file is incomplete (an interrupted download or copy?).`,
    );
  }
  if (!headerValid && size % pageSize !== 0) {
    fail(
      'truncated',
      `its size (${size} bytes) is not a whole number of ${pageSize}-byte pages: the file is incomplete.`,
    );
  }
  return {
    pageSize,
    pageCount: headerValid ? headerPages : size / pageSize,
    writeVersion,
    readVersion,
    walMode: writeVersion === 2 || readVersion === 2,
    reservedBytes,
    fileBytes: size,
  };
}

function headerWarnings(header: SqliteHeader): string[] {
  const warnings: string[] = [];
  if (header.walMode) {
    warnings.push(
      'The file is in WAL mode: changes still in its "-wal" file (not opened here) are not shown. ' +
        'Run "PRAGMA wal_checkpoint" or "PRAGMA journal_mode=DELETE" on the original to include them.',
    );
  }
  if (header.pageCount * header.pageSize < header.fileBytes) {
    warnings.push(
      `The file has ${header.fileBytes - header.pageCount * header.pageSize} bytes after its last page; they are ignored.`,
    );
  }
  return warnings;
}

/**
 * Opens `bytes` with sql.js after `readSqliteHeader`'s checks, then runs `PRAGMA
 * quick_check`. sql.js copies the bytes, so the caller's buffer is never written. Throws a
 * DbFileError; on success the caller owns (and must close) the returned database.
 */
export function openCheckedDatabase(
  SQL: SqlJsStatic,
  bytes: Uint8Array,
  options: OpenCheckOptions = {},
): CheckedDatabase {
  const name =
    options.fileName === undefined ? 'the file' : `"${displayFileName(options.fileName)}"`;
  if (options.totalBytes !== undefined && options.totalBytes !== bytes.length) {
    throw new DbFileError('truncated', name, `Cannot open ${name}: only part of it was read.`);
  }
  const header = readSqliteHeader(bytes, options);
  let db: Database | undefined;
  try {
    db = new SQL.Database(bytes);
    const rows = db.exec('PRAGMA quick_check')[0]?.values ?? [];
    // quick_check prefixes its first line with "*** in database main ***\n"; keep one line each.
    const lines = rows.map((r) =>
      String(r[0])
        .replace(/^\*\*\* in database \S+ \*\*\*\s*/, '')
        .replace(/\s+/g, ' '),
    );
    if (lines.length !== 1 || lines[0] !== 'ok') {
      const shown = lines.slice(0, MAX_QUICK_CHECK_LINES).join('; ');
      const more = lines.length > MAX_QUICK_CHECK_LINES ? ` (and ${lines.length - 3} more)` : '';
      throw new DbFileError(
        'corrupt',
        name,
        `Cannot open ${name}: the database is damaged (integrity check: ${shown}${more}).`,
      );
    }
    return { db, header, warnings: headerWarnings(header) };
  } catch (error) {
    db?.close();
    if (error instanceof DbFileError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const problem: DbFileProblem = /not a database|encrypted/i.test(reason)
      ? 'unsupported-format'
      : 'corrupt';
    const advice =
      problem === 'corrupt'
        ? 'the database is damaged'
        : 'SQLite does not recognise the format (encrypted?)';
    throw new DbFileError(problem, name, `Cannot open ${name}: ${advice} (SQLite: ${reason}).`);
  }
}

/** Checks a file as `openCheckedDatabase` does, closes it, and returns the outcome as a value. */
export function checkDatabaseFile(
  SQL: SqlJsStatic,
  bytes: Uint8Array,
  options: OpenCheckOptions = {},
): OpenCheckResult {
  try {
    const { db, header, warnings } = openCheckedDatabase(SQL, bytes, options);
    db.close();
    return { ok: true, header, warnings };
  } catch (error) {
    if (error instanceof DbFileError) return { ok: false, error };
    throw error;
  }
}
