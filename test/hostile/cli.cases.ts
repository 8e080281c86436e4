import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SPIDER2SQLITE } from '../paths';
import { type CliRun, type HostileCase, runCli, STACK_TRACE } from './harness';

interface CliSpec {
  name: string;
  /** Arguments; `{dir}` is replaced by a scratch folder the case prepared. */
  args: string[];
  /** Files the scratch folder holds (name → content), or copies from the recorded set. */
  files?: Record<string, string | { copyFrom: string }>;
  code: number;
  stderr?: RegExp;
  stdout?: RegExp;
}

const SPECS: CliSpec[] = [
  { name: 'an unknown command', args: ['corect'], code: 2, stderr: /unknown command "corect"/ },
  {
    name: 'an unknown option',
    args: ['correct', '--bogus'],
    code: 2,
    stderr: /Unknown option '--bogus'/,
  },
  {
    name: 'a missing --reference',
    args: ['correct', '--idx', '1'],
    code: 2,
    stderr: /--reference is required/,
  },
  {
    name: 'a --reference folder that does not exist',
    args: ['correct', '--reference', '{dir}/nope', '--idx', '0'],
    code: 2,
    stderr: /no such folder: .*nope/,
  },
  {
    name: 'an --idx that is not an integer',
    args: ['correct', '--reference', SPIDER2SQLITE, '--idx', '1; rm -rf /'],
    code: 2,
    stderr: /--idx must be an integer, got "1; rm -rf \/"/,
  },
  {
    name: 'an --idx that is not in the set',
    args: ['correct', '--reference', SPIDER2SQLITE, '--idx', '999999'],
    code: 2,
    stderr: /item 999999 is not in spider2sqlite/,
  },
  {
    name: 'an empty reference folder',
    args: ['conformance', '--reference', '{dir}'],
    files: {},
    code: 2,
    stderr: /dev\.json is missing/,
  },
  {
    name: 'a reference folder whose dev.json is not JSON',
    args: ['conformance', '--reference', '{dir}'],
    files: { 'dev.json': '[{"question": ', 'tables.json': '[]', 'baseline_sql.json': '{}' },
    code: 2,
    stderr: /dev\.json is not valid JSON/,
  },
  {
    name: 'a stage file with a malformed line',
    args: ['conformance', '--reference', '{dir}'],
    files: {
      'dev.json': { copyFrom: 'dev.json' },
      'tables.json': { copyFrom: 'tables.json' },
      'baseline_sql.json': { copyFrom: 'baseline_sql.json' },
      'original_traj.jsonl': '{"idx": 0, "prompt": "p", "response": "r"}\n{"idx": oops}\n',
    },
    code: 2,
    stderr: /original_traj\.jsonl line 2 is not valid JSON/,
  },
  {
    name: 'a reference folder whose tables.json lacks the database',
    args: ['correct', '--reference', '{dir}', '--idx', '0'],
    files: {
      'dev.json': { copyFrom: 'dev.json' },
      'tables.json': '[]',
      'baseline_sql.json': { copyFrom: 'baseline_sql.json' },
    },
    code: 2,
    stderr: /database ".+" is not in tables\.json/,
  },
  {
    name: 'roundtrip on a dev.json that is not a list',
    args: ['roundtrip', '--spider', '{dir}', '--json'],
    files: { 'dev.json': '{"db_id": "x"}', 'tables.json': '[]' },
    code: 2,
    stderr: /dev\.json is not a JSON list/,
  },
  {
    name: 'roundtrip with a time limit of zero',
    args: ['roundtrip', '--spider', '{dir}', '--timeout-ms', '0'],
    files: { 'dev.json': '[]', 'tables.json': '[]' },
    code: 2,
    stderr: /--timeout-ms must be a positive number/,
  },
  {
    name: 'roundtrip on items without a query or a usable db_id',
    args: ['roundtrip', '--spider', '{dir}', '--json'],
    files: {
      'dev.json': '[null, 7, {"db_id": "../../etc", "query": "SELECT 1"}, {"query": "SELECT 1"}]',
      'tables.json': '[]',
    },
    code: 0,
    stdout: /^\{"total":4,"compiled":0,"executionMatch":0\}\n$/,
  },
  { name: 'check-db with no file', args: ['check-db'], code: 2, stderr: /name at least one file/ },
  {
    name: 'check-db on a folder',
    args: ['check-db', '{dir}'],
    files: {},
    code: 1,
    stdout: /is not a file/,
  },
];

const MAX_PARALLEL = 3;

/** CLI misuse and broken inputs: one-line messages, exit codes, never a stack trace. */
export function cliCases(): HostileCase[] {
  // Start the runs eagerly, a few at a time, so their process start-ups overlap.
  let running = 0;
  const queue: (() => void)[] = [];
  const slot = async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= MAX_PARALLEL) await new Promise<void>((go) => queue.push(go));
    running++;
    try {
      return await job();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
  let started: Promise<CliRun>[] | undefined;
  const runs = (): Promise<CliRun>[] => {
    started ??= SPECS.map((spec) => {
      const run = slot(async () => {
        const dir = mkdtempSync(join(tmpdir(), 'share-cli-'));
        try {
          for (const [name, content] of Object.entries(spec.files ?? {})) {
            mkdirSync(dir, { recursive: true });
            if (typeof content === 'string') writeFileSync(join(dir, name), content);
            else copyFileSync(join(SPIDER2SQLITE, content.copyFrom), join(dir, name));
          }
          return await runCli(spec.args.map((a) => a.replaceAll('{dir}', dir)));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
      run.catch(() => {}); // awaited by its case
      return run;
    });
    return started;
  };
  return SPECS.map((spec, i) => ({
    category: 'cli',
    name: spec.name,
    expected: `exit ${spec.code}, a one-line message`,
    async run() {
      const run = await runs()[i]!;
      expect(run.code, run.stderr).toBe(spec.code);
      if (spec.stderr) expect(run.stderr).toMatch(spec.stderr);
      if (spec.stdout) expect(run.stdout).toMatch(spec.stdout);
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.stderr).not.toMatch(/unexpected failure/);
    },
  }));
}
