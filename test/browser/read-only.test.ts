import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHINOOK } from '../paths';
import { launch, type TestBrowser } from './support/chromium';
import { type StaticServer, serveStatic } from './support/static-server';

// e) DELETE and ATTACH are refused; a never-ending recursive CTE is stopped within the time
// limit (the sql worker is terminated and the database reopened from its bytes), and the
// database still answers, unchanged, afterwards.
describe('browser: read-only queries with a time limit', () => {
  let server: StaticServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await serveStatic(inject('distDir'));
    browser = await launch({ webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function run(sql: string): Promise<string> {
    const { page } = browser;
    await page.getByTestId('console-sql').fill(sql);
    await page.getByTestId('console-run').click();
    await page
      .getByTestId('console-run')
      .and(page.locator(':enabled'))
      .waitFor({ timeout: 20_000 });
    return (await page.getByTestId('console-rows').textContent()) ?? '';
  }

  it('refuses writes and ATTACH, stops a runaway query, and keeps answering', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    await page.getByTestId('db-name').waitFor();

    expect(await run('SELECT count(*) AS n FROM Album')).toContain('347');
    expect(await run('DELETE FROM Album')).toMatch(
      /only a read-only SELECT or WITH statement.*not DELETE/,
    );
    expect(await run('WITH a AS (SELECT 1) DELETE FROM Album')).toMatch(/found DELETE/);
    expect(await run("ATTACH DATABASE 'other.db' AS other")).toMatch(/not ATTACH/);
    expect(await run('SELECT 1; DELETE FROM Album')).toMatch(/only one statement/);

    const started = Date.now();
    const runaway = await run(
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
    );
    const elapsed = Date.now() - started;
    expect(runaway).toMatch(/did not finish within 5 s and was stopped/);
    // The limit is 5 s; terminating the worker and reopening Chinook adds little.
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(elapsed).toBeLessThan(12_000);
    expect(await page.getByTestId('db-restarts').textContent()).toContain('1 runaway query');

    // Still answering, and nothing was deleted.
    expect(await run('SELECT count(*) AS n FROM Album')).toContain('347');
    expect(await run('SELECT Title FROM Album WHERE AlbumId = 1')).toContain(
      'For Those About To Rock We Salute You',
    );
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);
});
