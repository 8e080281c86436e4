import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHINOOK } from '../paths';
import { launch, type TestBrowser } from './support/chromium';
import { type StaticServer, serveStatic } from './support/static-server';

// c) Without WebGPU the app says so, disables the local engine, and everything else works:
// the database, read-only queries, and a "no model" run that executes the SQL.
describe('browser: without WebGPU', () => {
  let server: StaticServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await serveStatic(inject('distDir'));
    browser = await launch({ webgpu: false, extraFlags: ['--disable-webgpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says WebGPU is unavailable and keeps the rest working', async () => {
    const { page } = browser;
    await page.goto(server.url);
    const status = page.locator('[data-testid="gpu-status"] [data-state="unavailable"]');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/WebGPU unavailable: .+/);
    expect(await page.getByTestId('engine-webgpu').isDisabled()).toBe(true);
    expect(await page.getByTestId('engine-none').isChecked()).toBe(true);

    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    await page.getByTestId('db-name').waitFor();
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill('SELECT Name FROM Artist ORDER BY ArtistId LIMIT 2');
    await page.locator('.cm-content').press('Control+Enter');
    await page.getByTestId('rows-initial').getByText('Accept').waitFor();
    // The SQL's trajectory, computed without a model (the SQL parser runs in the page).
    await page
      .getByTestId('preview-bam')
      .getByText(/Artist\.Name/)
      .waitFor();
    expect(await page.getByTestId('announcer').textContent()).toBe(
      'No model chosen: the trajectory of the SQL, computed without one, is ready.',
    );
    expect(await page.getByTestId('prompt-bam').textContent()).toContain(
      "schema = ['Artist.ArtistId', 'Artist.Name']",
    );

    await page.getByTestId('open-models').click();
    await page.getByTestId('mm-no-webgpu').waitFor();
    const loads = page.getByTestId('model-load');
    await expect.poll(() => loads.count()).toBeGreaterThan(0);
    for (const button of await loads.all()) expect(await button.isDisabled()).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  }, 40_000);

  it('checks the SQL and shows its trajectory while it is typed, before any run', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    await page.getByTestId('db-name').waitFor();
    const editor = page.locator('[data-testid="sql-input"][data-ready="true"] .cm-content');
    const check = page.getByTestId('sql-check');

    // Two wrong names: each named with the schema's nearest name.
    await editor.fill(
      "SELECT a.Name FROM Artist a JOIN Album b ON a.ArtistId = b.ArtistsId WHERE a.Nme LIKE 'A%'",
    );
    await check.getByTestId('sql-problems').waitFor();
    const problems = await check.getByTestId('sql-problems').textContent();
    const said = problems?.replace(/\s+/g, ' ');
    expect(said).toContain('table "Album" has no column "ArtistsId" (did you mean b.ArtistId?)');
    expect(said).toContain('table "Artist" has no column "Nme" (did you mean a.Name?)');

    // Each suggestion is a button that writes it in the SQL, in every place the name is used.
    await check.getByTestId('sql-fix').filter({ hasText: 'b.ArtistId' }).click();
    await check.getByTestId('sql-fix').filter({ hasText: 'a.Name' }).click();
    await check.getByTestId('sql-problems-none').waitFor();
    expect(await editor.textContent()).toBe(
      "SELECT a.Name FROM Artist a JOIN Album b ON a.ArtistId = b.ArtistId WHERE a.Name LIKE 'A%'",
    );
    // Each is one undo step in the editor: Ctrl+Z takes back the last one only.
    await editor.press('Control+z');
    await check.getByTestId('sql-problems').waitFor();
    expect(await editor.textContent()).toBe(
      "SELECT a.Name FROM Artist a JOIN Album b ON a.ArtistId = b.ArtistId WHERE a.Nme LIKE 'A%'",
    );

    // Fixed: no problems, and the trajectory follows the text.
    await editor.fill(
      "SELECT a.Name FROM Artist a JOIN Album b ON a.ArtistId = b.ArtistId WHERE b.Title LIKE 'A%'",
    );
    await check.getByTestId('sql-problems-none').waitFor();
    await check
      .getByTestId('sql-trajectory')
      .getByText(/Album\.Title/)
      .waitFor();
    expect(await check.getByTestId('sql-trajectory').textContent()).toMatch(
      /df1 = df\.where\(element = Album\.Title, filter = 'like A%'\)\s*res = df1\.select\(Artist\.Name\)/,
    );

    // A value looked up in the data (in the page's SQL worker): where it actually occurs.
    await editor.fill("SELECT Name FROM Artist WHERE Name = 'Rock'");
    await check.getByTestId('sql-values').waitFor();
    expect(await check.getByTestId('sql-values').textContent()).toBe(
      "'Rock' never occurs in Artist.Name; it occurs in Genre.Name",
    );

    // A join on columns no foreign key links, where the schema declares one: the key meant.
    await editor.fill('SELECT a.Name FROM Artist a JOIN Album b ON a.ArtistId = b.AlbumId');
    await check.getByTestId('sql-joins').waitFor();
    expect(await check.getByTestId('sql-joins').textContent()).toContain(
      "on columns no foreign key links; the schema's key is Album.ArtistId → Artist.ArtistId",
    );

    // A syntax error says so, and nothing is checked.
    await editor.fill('SELECT Name FROM Artist WHERE');
    await check.getByTestId('sql-syntax').waitFor();
    expect(await check.getByTestId('sql-problems-none').textContent()).toMatch(/does not parse/);
    expect(await check.getByTestId('sql-trajectory').count()).toBe(0);

    expect(browser.pageErrors).toEqual([]);
  }, 40_000);

  it('loads the SQL toolkit when SQL is typed and web-llm not at all, not at start', async () => {
    // The asset holding a marker string, by content: names are hashed.
    const dist = inject('distDir');
    const assetWith = (marker: string) => {
      const names = readdirSync(join(dist, 'assets')).filter(
        (name) =>
          name.endsWith('.js') && readFileSync(join(dist, 'assets', name), 'utf8').includes(marker),
      );
      expect(names, marker).toHaveLength(1);
      return `/assets/${names[0]}`;
    };
    const toolkit = assetWith('ties dropped'); // SQL → SR (src/core/sr/from-sql.ts)
    const stages = assetWith('kept as written'); // the deterministic pipeline stages
    const webLlm = assetWith('prebuiltAppConfig');
    // A fresh profile: nothing saved, so no SQL is restored and checked at start.
    const fresh = await launch({ webgpu: false, extraFlags: ['--disable-webgpu'] });
    try {
      const scripts: string[] = [];
      fresh.page.on('request', (request) => scripts.push(new URL(request.url()).pathname));
      const loaded = (asset: string) => scripts.some((path) => path.endsWith(asset));
      await fresh.page.goto(server.url);
      await fresh.page.getByTestId('db-file').setInputFiles(CHINOOK);
      await fresh.page.getByTestId('db-name').waitFor();
      const editor = fresh.page.locator('[data-testid="sql-input"][data-ready="true"] .cm-content');
      await editor.waitFor();
      expect(scripts.some((path) => path.includes('/assets/index-'))).toBe(true);
      expect([loaded(toolkit), loaded(stages), loaded(webLlm)]).toEqual([false, false, false]);

      await editor.fill('SELECT Name FROM Artist');
      await fresh.page.getByTestId('sql-trajectory').waitFor();
      expect([loaded(toolkit), loaded(stages)]).toEqual([true, false]);
      await editor.press('Control+Enter');
      await fresh.page
        .getByTestId('preview-bam')
        .getByText(/Artist\.Name/)
        .waitFor();
      expect([loaded(stages), loaded(webLlm)]).toEqual([true, false]);
      expect(fresh.pageErrors).toEqual([]);
    } finally {
      await fresh.close();
    }
  }, 40_000);
});
