import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKiosk, type KioskBuild } from '../../scripts/build-kiosk';
import { ROOT } from '../paths';
import { axeViolations } from './support/axe';
import { launch, type TestBrowser } from './support/chromium';
import { findLeaks, type RecordedRequest, recordRequests } from './support/privacy';
import { type StaticServer, serveStatic } from './support/static-server';

const DEMO_DB = join(ROOT, 'public/demo/demo.sqlite');
const LIB = 'libs/Phi-3-mini-4k-instruct-q4f32_1_cs1k-webgpu.wasm';

/** A models folder laid out as README describes, with configs but no real weights. */
function fakeModels(dir: string): void {
  mkdirSync(join(dir, 'libs'), { recursive: true });
  writeFileSync(join(dir, LIB), 'not WebAssembly: no real model library here');
  for (const role of ['bam', 'sam', 'lom']) {
    const folder = join(dir, `share-${role}-q4f32_1-MLC/resolve/main`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'mlc-chat-config.json'),
      JSON.stringify({
        context_window_size: 4096,
        tokenizer_files: ['tokenizer.json'],
        conv_template: { name: 'phi-3', roles: {}, seps: [], stop_str: [], stop_token_ids: [] },
      }),
    );
    writeFileSync(join(folder, 'tokenizer.json'), '{}');
    writeFileSync(join(folder, 'tensor-cache.json'), '{"records":[]}');
  }
}

// Issue 7, part 2: `npm run build:kiosk` bundles the app, a models folder and a database
// into one static folder. A full session on it (database opened from the bundle, a
// correction on the local models up to their load failure, since the weights are fake,
// an idle reset) makes no request outside its origin, and the UI has no settings.
describe('kiosk build', () => {
  let work: string;
  let built: KioskBuild;
  let server: StaticServer;
  let browser: TestBrowser;
  let recorded: { requests: RecordedRequest[]; cspViolations: string[] };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'share-web-kiosk-'));
    fakeModels(join(work, 'models'));
    built = await buildKiosk({
      db: DEMO_DB,
      models: join(work, 'models'),
      out: join(work, 'out'),
      title: 'Test kiosk',
      idleResetSeconds: 6,
      preset: 'fast',
    });
    server = await serveStatic(built.out, '/kiosk/');
    browser = await launch({ webgpu: true });
    recorded = recordRequests(browser.context);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('bundles the local models, the database and a CSP allowing only its origin', () => {
    expect(built.models.sort()).toEqual([
      'share-bam-q4f32_1-MLC',
      'share-lom-q4f32_1-MLC',
      'share-sam-q4f32_1-MLC',
    ]);
    expect(built.dropped.find((d) => d.id.startsWith('Qwen'))?.why).toBe(
      'its files are on another host',
    );
    const manifest = JSON.parse(readFileSync(join(built.out, 'models-manifest.json'), 'utf8'));
    for (const m of manifest.models) {
      expect(m.modelUrl).toMatch(/^models\//);
      expect(m.modelLibUrl).toBe(`models/${LIB}`);
    }
    const html = readFileSync(join(built.out, 'index.html'), 'utf8');
    expect(html).toMatch(/connect-src 'self' data: blob:;/);
    const sw = readFileSync(join(built.out, 'sw.js'), 'utf8');
    expect(sw).toContain('"kiosk/demo.sqlite"');
    expect(sw).toContain(`"models/${LIB}"`);
    expect(sw).not.toContain('mlc-chat-config.json');
    const config = JSON.parse(readFileSync(join(built.out, 'kiosk.json'), 'utf8'));
    expect(config).toMatchObject({ database: 'kiosk/demo.sqlite', idleResetSeconds: 6 });
  });

  it('serves a locked-down session with no request outside its origin, then resets when idle', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByTestId('kiosk').waitFor();
    await page.getByTestId('db-name').getByText('demo.sqlite').waitFor();
    await page.locator('html[data-offline-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await page.title()).toBe('Test kiosk');
    // No settings, no endpoint, no model manager, no file picker.
    for (const id of ['engine-openai', 'endpoint-url', 'open-models', 'db-file', 'open-bench']) {
      expect(await page.getByTestId(id).count(), id).toBe(0);
    }
    expect(await page.getByTestId('kiosk-engine').textContent()).toMatch(/SHARE models on this/);

    await page.getByTestId('question').fill('How many order lines are there for Toys products?');
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill(
        "SELECT COUNT(*) FROM order_items AS oi JOIN products AS p ON oi.product_id = p.product_id JOIN categories AS c ON p.category_id = c.category_id WHERE c.name = 'Toys'",
      );
    await page.getByTestId('correct').click();
    // Fast preset: stage 1 without a model, then SAM's load fails on the fake library.
    await page
      .getByTestId('correction-error')
      .getByText(/not a usable WebAssembly file/)
      .waitFor({ timeout: 60_000 });
    await page
      .getByTestId('rows-initial')
      .getByText(/1 rows/)
      .waitFor();
    expect(await page.getByTestId('extracted-bam').textContent()).toMatch(/order_items/);
    expect(await axeViolations(page)).toEqual([]);

    // Left alone past idleResetSeconds, the session clears (the database stays).
    await page.locator('[data-testid="kiosk-idle"][data-resets="1"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('question').inputValue()).toBe('');
    expect(await page.getByTestId('stage-bam').count()).toBe(0);
    expect(await page.getByTestId('db-name').textContent()).toContain('demo.sqlite');

    // The model worker failing on its own is reported; the next correction starts a new one.
    const llm = page.workers().find((w) => w.url().includes('llm.worker'));
    expect(llm, 'the web-llm worker').toBeDefined();
    await llm!.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated GPU worker crash');
      });
    });
    await page
      .getByTestId('model-worker-recovered')
      .getByText(/The model worker failed \(.*simulated GPU worker crash\) and was stopped/)
      .waitFor();
    await expect.poll(() => page.workers().some((w) => w.url().includes('llm.worker'))).toBe(false);
    await page.getByTestId('question').fill('How many products are there?');
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill('SELECT COUNT(*) FROM products');
    await page.getByTestId('correct').click();
    await page
      .getByTestId('correction-error')
      .getByText(/not a usable WebAssembly file/)
      .waitFor({ timeout: 60_000 });
    expect(page.workers().some((w) => w.url().includes('llm.worker'))).toBe(true);

    const origin = new URL(server.url).origin;
    expect(recorded.requests.length).toBeGreaterThan(10);
    expect(
      findLeaks(recorded.requests, { appOrigin: origin, secrets: [] }, recorded.cspViolations),
    ).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);

  it('starts again with no network at all', async () => {
    const { page, context } = browser;
    await context.setOffline(true);
    const served = server.requests.length;
    try {
      await page.reload();
      await page.getByTestId('kiosk').waitFor();
      await page.getByTestId('db-name').getByText('demo.sqlite').waitFor();
      expect(await page.title()).toBe('Test kiosk'); // kiosk.json from the worker's cache
      await page.getByTestId('question').fill('How many products?');
      await page
        .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
        .fill('SELECT COUNT(*) FROM products');
      await page.getByTestId('correct').click();
      await page
        .getByTestId('rows-initial')
        .getByText(/1 rows/)
        .waitFor({ timeout: 30_000 });
      // Chromium's own service-worker update check (the worker script and the workbox runtime
      // it imports) is not covered by Playwright's offline emulation and may land here when the
      // machine is busy; with a real outage it simply fails. Nothing the app asks for may.
      const browserUpdateCheck = /^\/kiosk\/(sw\.js|workbox-[\w-]+\.js)$/;
      expect(server.requests.slice(served).filter((r) => !browserUpdateCheck.test(r))).toEqual([]);
      expect(browser.pageErrors).toEqual([]);
    } finally {
      await context.setOffline(false);
    }
  }, 60_000);

  it('refuses a file that is not a database and a models folder without a model', async () => {
    const notDb = join(work, 'notes.sqlite');
    writeFileSync(notDb, 'just some text, not SQLite');
    await expect(
      buildKiosk({
        db: notDb,
        out: join(work, 'x'),
        title: 't',
        idleResetSeconds: 60,
        preset: 'fast',
      }),
    ).rejects.toThrow(/notes\.sqlite.*not a SQLite database/);
    mkdirSync(join(work, 'empty-models'));
    await expect(
      buildKiosk({
        db: DEMO_DB,
        models: join(work, 'empty-models'),
        out: join(work, 'x'),
        title: 't',
        idleResetSeconds: 60,
        preset: 'fast',
      }),
    ).rejects.toThrow(
      /no model of the manifest has its files in .*mlc-chat-config\.json is missing/,
    );
    // BAM alone cannot correct anything.
    const onlyBam = join(work, 'only-bam');
    fakeModels(onlyBam);
    rmSync(join(onlyBam, 'share-sam-q4f32_1-MLC'), { recursive: true });
    rmSync(join(onlyBam, 'share-lom-q4f32_1-MLC'), { recursive: true });
    await expect(
      buildKiosk({
        db: DEMO_DB,
        models: onlyBam,
        out: join(work, 'x'),
        title: 't',
        idleResetSeconds: 60,
        preset: 'fast',
      }),
    ).rejects.toThrow(/needs a BAM, a SAM and a LOM model, but .* has none for sam, lom/);
  });
});
