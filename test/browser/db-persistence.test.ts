import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHINOOK } from '../paths';
import { launch, type TestBrowser } from './support/chromium';
import { type StaticServer, serveStatic } from './support/static-server';

// a) Chinook through the file input; the schema browser lists its 11 tables; a reload
// reopens it from IndexedDB; "forget" removes it (also after another reload).
describe('browser: open, keep and forget a database', () => {
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

  it('lists the 11 Chinook tables, keeps them over a reload, and forgets them', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByTestId('db-none').waitFor();

    // Files that are not usable databases are refused with a reason, not a stack trace.
    const chinook = readFileSync(CHINOOK);
    const refusals: [string, Buffer, RegExp][] = [
      ['empty.sqlite', Buffer.alloc(0), /empty \(0 bytes\)/],
      [
        'notes.db',
        Buffer.from('CREATE TABLE t (a);\nINSERT INTO t VALUES (1);\n'),
        /not a SQLite database.*text file/,
      ],
      ['half.sqlite', chinook.subarray(0, 300_000), /incomplete/],
    ];
    for (const [name, buffer, why] of refusals) {
      await page
        .getByTestId('db-file')
        .setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
      await expect
        .poll(
          async () =>
            (await page
              .getByTestId('db-error')
              .textContent()
              .catch(() => '')) ?? '',
        )
        .toMatch(why);
      expect(await page.getByTestId('db-error').textContent()).toContain(name);
    }

    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    const tables = page.getByTestId('schema-table');
    await page.getByTestId('db-name').waitFor();
    expect(await page.getByTestId('db-name').textContent()).toContain('Chinook_Sqlite.sqlite');
    expect(await page.getByTestId('db-error').count()).toBe(0);
    await expect.poll(() => tables.count()).toBe(11);
    const names = (await tables.locator('.mono').allTextContents()).sort();
    expect(names).toEqual(
      [
        'Album',
        'Artist',
        'Customer',
        'Employee',
        'Genre',
        'Invoice',
        'InvoiceLine',
        'MediaType',
        'Playlist',
        'PlaylistTrack',
        'Track',
      ].sort(),
    );

    await page.reload();
    await page.getByTestId('db-name').waitFor();
    await expect.poll(() => tables.count()).toBe(11);

    // Search narrows the list; opening a table shows its column profiles.
    await page.getByRole('searchbox', { name: 'Search tables and columns' }).fill('invoice');
    await expect.poll(() => tables.count()).toBe(2);
    await page.getByRole('searchbox', { name: 'Search tables and columns' }).fill('');
    await page.getByRole('button', { name: /Album/ }).click();
    await page.getByText('347 non-null · 347 distinct').first().waitFor();

    await page.getByTestId('db-forget').click();
    await page.getByTestId('db-none').waitFor();
    expect(await tables.count()).toBe(0);
    await page.reload();
    await page.getByTestId('db-none').waitFor();
    // Give a (wrong) restore the time it would need before concluding nothing came back.
    await page.waitForTimeout(500);
    expect(await tables.count()).toBe(0);
    expect(browser.pageErrors).toEqual([]);
  });
});
