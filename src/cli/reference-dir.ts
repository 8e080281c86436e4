import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  parseReferenceSet,
  type ReferenceSet,
  ReferenceSetError,
  STAGE_FILES,
} from '../core/reference/reference-set';
import type { OptionSpec } from './args';
import { CliError } from './cli-error';

/** The `--reference` option of the commands that read a recorded SHARE run. */
export const REFERENCE_OPTION = {
  reference: {
    type: 'string',
    arg: 'DIR',
    required: true,
    help: 'a recorded SHARE run: dev.json, tables.json and any of the stage files (the layout of ../shared/data/share-reference/<set>/)',
  },
} as const satisfies OptionSpec;

const FILES = [
  'dev.json',
  'tables.json',
  'baseline_sql.json',
  'column_meaning.json',
  'augmented_schema.json',
  'final_sql.json',
  ...Object.values(STAGE_FILES),
];

/**
 * Reads a recorded run from a folder in the layout of `shared/data/share-reference/<set>/`.
 * With `lenient` (the command's name), a malformed record or an item without its dev.json
 * entry or baseline SQL is left out with a warning on stderr instead of failing the command.
 */
export function loadReferenceDir(dir: string, lenient?: string): ReferenceSet {
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new CliError(`no such folder: ${dir}`);
  const files = new Map<string, string>();
  for (const file of FILES) {
    const full = join(path, file);
    if (existsSync(full)) files.set(file, readFileSync(full, 'utf8'));
  }
  let problems = 0;
  const onProblem = (message: string) => {
    if (++problems <= 10) process.stderr.write(`${lenient}: ${dir}: ${message}; left out\n`);
  };
  try {
    const set = parseReferenceSet(basename(path), files, lenient ? onProblem : undefined);
    if (problems > 10) process.stderr.write(`${lenient}: ${problems} records left out in all\n`);
    return set;
  } catch (error) {
    if (error instanceof ReferenceSetError) throw new CliError(`${dir}: ${error.message}`);
    throw error;
  }
}
