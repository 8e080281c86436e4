import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; browsers are never downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WebGPU on SwiftShader (see DESIGN.md "Browser facts measured on this machine"). */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

/** A browser with a fresh profile, and what its pages reported. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and unhandled rejections of the page and its workers. */
  pageErrors: string[];
  /** Console messages of type error. */
  consoleErrors: string[];
  /** URLs of every request the browser made (pages and workers). */
  requests: string[];
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh user-data-dir; `webgpu` adds the SwiftShader flags. */
export async function launch(options: {
  webgpu: boolean;
  extraFlags?: string[];
}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'share-web-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_FLAGS, ...(options.webgpu ? WEBGPU_FLAGS : []), ...(options.extraFlags ?? [])],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return {
    context,
    page,
    pageErrors,
    consoleErrors,
    requests,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
