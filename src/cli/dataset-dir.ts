import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DatasetError,
  type DatasetFormat,
  type DatasetItem,
  LAYOUT,
  parseDatasetItems,
} from '../core/eval/dataset';
import type { OptionSpec } from './args';
import { CliError } from './cli-error';

/** A dataset folder in the BIRD or Spider layout. */
export interface DatasetDir {
  dir: string;
  format: DatasetFormat;
  items: DatasetItem[];
  /** Text of the tables file (`dev_tables.json` / `tables.json`). */
  tablesText: string;
  /** The `.sqlite` files of a database folder (every one, as Spider test suites use). */
  databaseFiles(dbId: string): string[];
}

/** The `--dataset` and `--format` options of the commands that read a dataset folder. */
export const DATASET_OPTIONS = {
  dataset: {
    type: 'string',
    arg: 'DIR',
    required: true,
    help: 'BIRD layout (dev.json, dev_tables.json, dev_databases/<db>/<db>.sqlite) or Spider layout (dev.json, tables.json, database/<db>/<db>.sqlite)',
  },
  format: {
    type: 'string',
    arg: 'bird|spider',
    required: true,
    help: 'the layout of --dataset, and the scoring rule of its official evaluator',
  },
} as const satisfies OptionSpec;

/** Parses `--format`. */
export function datasetFormat(value: string | undefined, command: string): DatasetFormat {
  if (value === 'bird' || value === 'spider') return value;
  throw new CliError(`${command}: --format must be bird or spider, got "${value ?? ''}"`);
}

/** Reads a dataset folder: its items and tables file; database files are found on demand. */
export function loadDatasetDir(dir: string, format: DatasetFormat, command: string): DatasetDir {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new CliError(`${command}: no such folder: ${dir}`);
  const layout = LAYOUT[format];
  const read = (file: string): string => {
    const path = join(root, file);
    if (!existsSync(path)) {
      throw new CliError(`${command}: ${dir} has no ${file} (the ${format} layout needs it)`);
    }
    return readFileSync(path, 'utf8');
  };
  let items: DatasetItem[];
  try {
    items = parseDatasetItems(read(layout.items), layout.items);
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(`${command}: ${error.message}`);
    throw error;
  }
  const tablesText = read(layout.tables);
  const cache = new Map<string, string[]>();
  return {
    dir: root,
    format,
    items,
    tablesText,
    databaseFiles(dbId) {
      let files = cache.get(dbId);
      if (!files) {
        const folder = join(root, layout.databases, dbId);
        const own = join(folder, `${dbId}.sqlite`);
        files = [];
        if (existsSync(folder) && statSync(folder).isDirectory()) {
          // Spider's rule: every file of the folder whose name contains ".sqlite".
          files =
            format === 'spider'
              ? readdirSync(folder)
                  .filter((f) => f.includes('.sqlite'))
                  .sort()
                  .map((f) => join(folder, f))
              : existsSync(own)
                ? [own]
                : [];
        }
        cache.set(dbId, files);
      }
      return files;
    },
  };
}
