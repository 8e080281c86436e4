import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../paths';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `share <args>` the way `npm run -s share --` does (tsx on src/cli/main.ts). */
export function runCli(args: string[], timeoutMs = 120_000): CliRun {
  return runTsx('src/cli/main.ts', args, timeoutMs);
}

/** Runs a TypeScript entry point of this project (a path from the root) with tsx, as npm scripts do. */
export function runTsx(file: string, args: string[], timeoutMs = 120_000): CliRun {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, file), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
