import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordingOf } from '../../src/core/reference/conformance';
import { parseReferenceSet } from '../../src/core/reference/reference-set';
import { stripBirdSuffix } from '../../src/core/share/item';
import { STAGES } from '../../src/core/share/stages';
import { SPIDER2SQLITE } from '../paths';
import { loadSqlJs } from '../support/sqljs';
import { launch, type TestBrowser } from './support/chromium';
import { sqliteFromTablesJson } from './support/db-from-tables-json';
import { type StaticServer, serveStatic } from './support/static-server';

const IDX = 10; // spider2sqlite WWE item: all five stages recorded

/** One recorded answer as the server-sent events an OpenAI-compatible server streams. */
function sse(answer: string): string {
  const events = [];
  for (let i = 0; i < answer.length; i += 40) {
    events.push({ choices: [{ index: 0, delta: { content: answer.slice(i, i + 40) } }] });
  }
  events.push({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  events.push({ choices: [], usage: { prompt_tokens: 100, completion_tokens: 10 } });
  return `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`;
}

// Issue 7, part 1: after one visit the service worker has the app; with the network cut
// (Playwright offline mode) a reload still starts the app, opens databases (a picked file
// and the precached demo database) and runs a correction. The correction's model answers
// are recorded ones, fulfilled inside the browser by a Playwright route (offline mode cuts
// the loopback replay server too): no request reaches any server after the cut.
describe('browser: offline after the first visit', () => {
  let server: StaticServer;
  let browser: TestBrowser;
  let dir: string;
  const files = new Map<string, string>();
  for (const name of readdirSync(SPIDER2SQLITE)) {
    if (/\.(json|jsonl)$/.test(name))
      files.set(name, readFileSync(join(SPIDER2SQLITE, name), 'utf8'));
  }
  const ref = parseReferenceSet('spider2sqlite', files);
  const item = ref.items.find((i) => i.idx === IDX)!;
  const recording = recordingOf(ref);
  const answers = STAGES.map((s) => recording.get(s)!.get(IDX)!.response);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'share-web-offline-'));
    const entry = ref.tables.find((t) => t.db_id === item.dbId)!;
    writeFileSync(join(dir, `${item.dbId}.sqlite`), sqliteFromTablesJson(await loadSqlJs(), entry));
    server = await serveStatic(inject('distDir'));
    browser = await launch({ webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads, opens databases and corrects with the network cut', async () => {
    const { page, context } = browser;
    await page.goto(server.url);
    await page.locator('html[data-offline-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('offline-status').getAttribute('data-status')).toBe('ready');

    await context.setOffline(true);
    const served = server.requests.length;
    await page.reload();
    await page.locator('[data-testid="offline-status"][data-online="false"]').waitFor();
    expect(await page.getByTestId('offline-status').textContent()).toMatch(/Offline/);
    await page.locator('[data-testid="sql-input"][data-ready="true"]').waitFor();

    // The demo database comes from the service worker's precache.
    await page.getByRole('button', { name: 'Demo database' }).click();
    await page.getByTestId('db-name').getByText('demo_shop.sqlite').waitFor();

    // A picked file, and a correction whose model answers are the recorded ones.
    await page.getByTestId('db-file').setInputFiles(join(dir, `${item.dbId}.sqlite`));
    await page.getByTestId('db-name').getByText(`${item.dbId}.sqlite`).waitFor();
    const queue = [...answers];
    const endpoint = 'http://127.0.0.1:9/v1';
    await context.route(`${endpoint}/chat/completions`, (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'access-control-allow-origin': '*' },
        body: sse(queue.shift() ?? ''),
      }),
    );
    await page.getByTestId('engine-openai').check();
    await page.getByTestId('endpoint-url').fill(endpoint);
    for (const role of ['bam', 'sam', 'lom', 'generator']) {
      await page.getByTestId(`endpoint-model-${role}`).fill(role);
    }
    await page.getByTestId('use-profiles').uncheck();
    await page.getByTestId('question').fill(item.question);
    await page.getByTestId('evidence').fill(item.evidence);
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill(stripBirdSuffix(item.initialSql));
    await page.getByTestId('endpoint-ack').check();
    await page.getByTestId('correct').click();
    await page.getByTestId('final-sql').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('final-sql').textContent()).toBe(ref.finalSql!.get(IDX));
    expect(queue).toEqual([]);
    await page
      .getByTestId('rows-final')
      .getByText(/0 rows/)
      .waitFor();

    // Nothing reached the server after the cut: everything came from the browser. The one
    // exception is the browser's own update check of the service worker script (and the
    // Workbox runtime it imports), which Chromium makes outside the page's network stack,
    // so Playwright's offline switch does not cover it; when it does get through, it is a
    // version check, not something the app needs to run.
    const swUpdateCheck = /\/(sw|workbox-[\w-]+)\.js$/;
    expect(server.requests.slice(served).filter((path) => !swUpdateCheck.test(path))).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
    await context.setOffline(false);
  }, 120_000);
});
