import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { ROOT } from '../paths';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The app built once for this run (`vite build` output). */
    distDir: string;
  }
}

/** Builds the app once per test run into a temporary directory the browser tests serve. */
export default async function setup(project: TestProject): Promise<() => void> {
  const outDir = mkdtempSync(join(tmpdir(), 'share-web-dist-'));
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rolldownOptions: { checks: { pluginTimings: false } } },
  });
  project.provide('distDir', outDir);
  return () => rmSync(outDir, { recursive: true, force: true });
}
