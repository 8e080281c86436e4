import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import initSqlJs from 'sql.js';
import {
  checkDatabaseFile,
  DbFileError,
  DEFAULT_MAX_DB_BYTES,
  displayFileName,
  type OpenCheckResult,
  readSqliteHeader,
} from '../../core/db/open-check';
import { helpHint, type OptionSpec } from '../args';
import { CliError } from '../cli-error';
import type { Command } from '../commands';

/** One line of `check-db --json`. */
export interface CheckDbEntry {
  file: string;
  ok: boolean;
  problem?: string;
  message?: string;
  warnings?: string[];
  pageSize?: number;
  pageCount?: number;
}

const HEADER_READ_BYTES = 4096;

const OPTIONS = {
  'max-mb': {
    type: 'string',
    arg: 'N',
    help: `the size budget in MB, as the app's (default ${DEFAULT_MAX_DB_BYTES / 1024 / 1024})`,
  },
  json: {
    type: 'boolean',
    help: 'print one JSON list on stdout: per file ok, and problem and message or warnings',
  },
} as const satisfies OptionSpec;

// Positionals are file names (any characters; put them after `--` if one starts with "-").
const parse = (args: string[]) =>
  parseArgs({
    args,
    options: { 'max-mb': { type: OPTIONS['max-mb'].type }, json: { type: OPTIONS.json.type } },
    strict: true,
    allowPositionals: true,
  });

function readHead(path: string, bytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}

export const checkDbCommand: Command = {
  summary: 'check SQLite files the way the app opens them (header, size budget, integrity)',
  options: OPTIONS,
  operands: 'FILE…',
  async run(args) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (error) {
      throw new CliError(`check-db: ${(error as Error).message} ${helpHint('check-db')}`);
    }
    const { values: opts, positionals: files } = parsed;
    if (files.length === 0)
      throw new CliError(`check-db: name at least one file ${helpHint('check-db')}`);
    let maxBytes = DEFAULT_MAX_DB_BYTES;
    if (opts['max-mb'] !== undefined) {
      const mb = Number(opts['max-mb']);
      if (!(mb > 0))
        throw new CliError(`check-db: --max-mb must be a positive number, got "${opts['max-mb']}"`);
      maxBytes = Math.floor(mb * 1024 * 1024);
    }
    const SQL = await initSqlJs();
    const entries: CheckDbEntry[] = files.map((path) => {
      const file = basename(path);
      let size: number;
      try {
        const stat = statSync(path);
        if (!stat.isFile())
          return {
            file,
            ok: false,
            problem: 'not-a-file',
            message: `"${displayFileName(path)}" is not a file`,
          };
        size = stat.size;
      } catch (error) {
        return {
          file,
          ok: false,
          problem: 'unreadable',
          message: `Cannot read "${displayFileName(path)}": ${reasonOf(error)}.`,
        };
      }
      let result: OpenCheckResult;
      if (size > maxBytes) {
        // Refuse without reading the whole file into memory.
        try {
          readSqliteHeader(readHead(path, HEADER_READ_BYTES), {
            fileName: file,
            maxBytes,
            totalBytes: size,
          });
          throw new Error('unreachable: a file over the budget passed the header check');
        } catch (error) {
          if (!(error instanceof DbFileError)) throw error;
          result = { ok: false, error };
        }
      } else {
        result = checkDatabaseFile(SQL, new Uint8Array(readFileSync(path)), {
          fileName: file,
          maxBytes,
        });
      }
      return result.ok
        ? {
            file,
            ok: true,
            warnings: result.warnings,
            pageSize: result.header.pageSize,
            pageCount: result.header.pageCount,
          }
        : { file, ok: false, problem: result.error.problem, message: result.error.message };
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(entries)}\n`);
    } else {
      for (const e of entries) {
        if (e.ok) {
          process.stdout.write(
            `ok     ${displayFileName(e.file)}: ${e.pageCount} pages of ${e.pageSize} bytes\n`,
          );
          for (const w of e.warnings ?? []) process.stdout.write(`       warning: ${w}\n`);
        } else {
          process.stdout.write(`error  ${e.message}\n`);
        }
      }
    }
    return entries.every((e) => e.ok) ? 0 : 1;
  },
};
