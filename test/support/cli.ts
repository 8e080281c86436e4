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
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli/main.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
