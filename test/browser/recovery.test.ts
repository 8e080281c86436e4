import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHINOOK } from '../paths';
import { launch, type TestBrowser } from './support/chromium';
import { type StaticServer, serveStatic } from './support/static-server';

// Issue 6, part 2: the user's work survives a reload (question, evidence, SQL and the last
// correction come back from IndexedDB), and a failing sql worker is replaced with a
// message while the database is reopened from its kept bytes.
describe('browser: never lose the work', () => {
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

  const sqlWorker = () => {
    const worker = browser.page.workers().find((w) => w.url().includes('sql.worker'));
    if (!worker)
      throw new Error(`no sql worker among ${browser.page.workers().map((w) => w.url())}`);
    return worker;
  };

  it('keeps the question, SQL and last correction over a reload', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    await page.getByTestId('db-name').waitFor();
    await page.getByTestId('question').fill('Which artists come first?');
    await page.getByTestId('evidence').fill('first = lowest ArtistId');
    const sql = 'SELECT Name FROM Artist ORDER BY ArtistId LIMIT 2';
    await page.locator('[data-testid="sql-input"][data-ready="true"] .cm-content').fill(sql);
    await page.getByTestId('correct').click();
    await page.getByTestId('rows-initial').getByText('Accept').waitFor();
    await page
      .getByTestId('preview-bam')
      .getByText(/Artist\.Name/)
      .waitFor();
    // The save happens shortly after the last change.
    await page.waitForTimeout(800);

    await page.reload();
    await page.getByTestId('db-name').waitFor();
    await expect
      .poll(() => page.getByTestId('question').inputValue())
      .toBe('Which artists come first?');
    expect(await page.getByTestId('evidence').inputValue()).toBe('first = lowest ArtistId');
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .getByText('SELECT Name FROM Artist')
      .waitFor();
    // The last correction's results, as they were.
    await page.getByTestId('rows-initial').getByText('Accept').waitFor();
    await page
      .getByTestId('preview-bam')
      .getByText(/Artist\.Name/)
      .waitFor();
    // Edits after the reload are kept too.
    await page.getByTestId('question').fill('Which two artists come first?');
    await page.waitForTimeout(800);
    await page.reload();
    await expect
      .poll(() => page.getByTestId('question').inputValue())
      .toBe('Which two artists come first?');
    await page.getByTestId('rows-initial').getByText('Accept').waitFor();

    // Forgetting the database forgets the correction's rows too (the inputs stay).
    await page.getByTestId('db-forget').click();
    await page.getByTestId('db-none').waitFor();
    await expect.poll(() => page.getByTestId('rows-initial').count()).toBe(0);
    await page.waitForTimeout(800);
    await page.reload();
    await expect
      .poll(() => page.getByTestId('question').inputValue())
      .toBe('Which two artists come first?');
    await page.waitForTimeout(500);
    expect(await page.getByTestId('rows-initial').count()).toBe(0);
    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    await page.getByTestId('db-name').waitFor();
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  it('replaces a failing sql worker, says so, and keeps the database', async () => {
    const { page } = browser;
    await page.getByTestId('db-name').waitFor();
    await page.getByTestId('console-sql').fill('SELECT count(*) FROM Track');
    await page.getByTestId('console-run').click();
    await page.getByTestId('console-rows').getByText('3503').waitFor();

    // An uncaught error inside the worker (as when its memory runs out).
    const before = sqlWorker();
    await before.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated crash');
      });
    });
    const notice = page.getByTestId('worker-recovered');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /The database worker failed \(.*simulated crash\)\. It was restarted and Chinook_Sqlite\.sqlite was reopened; nothing was lost\./,
    );
    await expect.poll(() => sqlWorker() !== before).toBe(true);
    await page.getByTestId('console-sql').fill('SELECT count(*) FROM Album');
    await page.getByTestId('console-run').click();
    await page.getByTestId('console-rows').getByText('347').waitFor();

    // A worker that stops answering altogether: the query's time limit replaces it.
    await sqlWorker().evaluate(() => self.close());
    await page.getByTestId('console-sql').fill('SELECT count(*) FROM Genre');
    await page.getByTestId('console-run').click();
    await page.getByTestId('console-rows-error').waitFor({ timeout: 20_000 });
    await page.getByTestId('console-run').click();
    await page.getByTestId('console-rows').getByText('25').waitFor();
    expect(await page.getByTestId('schema-table').count()).toBe(11);
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);
});
