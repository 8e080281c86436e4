import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SPIDER } from '../paths';
import { loadSqlJs } from '../support/sqljs';
import { axeViolations } from './support/axe';
import { launch, type TestBrowser } from './support/chromium';
import { type StaticServer, serveStatic } from './support/static-server';

const CONCERT_SINGER = join(SPIDER, 'database/concert_singer/concert_singer.sqlite');
const PAGE = 4096; // concert_singer's page size
const ENDPOINT = 'http://127.0.0.1:9/v1';

/** One hostile input given through the UI, with the outcome expected, in words. */
interface UiCase {
  name: string;
  expected: string;
  run(): Promise<void>;
}

function patched(base: Uint8Array, patch: (b: Uint8Array) => void): Buffer {
  const copy = new Uint8Array(base);
  patch(copy);
  return Buffer.from(copy);
}

/** Server-sent events streaming `text` the way an OpenAI-compatible server does. */
function sse(text: string): string {
  const chunks = [];
  for (let i = 0; i < text.length; i += 4000) {
    chunks.push(
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text.slice(i, i + 4000) } }] })}\n\n`,
    );
  }
  return `${chunks.join('')}data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
}

// Issue 6, part 1, the UI cases: hostile files, data, SQL, model output and engines given
// through the browser UI. Each ends with a clear message (or the content shown as text),
// no uncaught error, no dialog, no injected script run, and the app still usable.
describe('browser: hostile inputs through the UI', () => {
  let server: StaticServer;
  let browser: TestBrowser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await serveStatic(inject('distDir'));
    browser = await launch({ webgpu: false, extraFlags: ['--disable-webgpu'] });
    browser.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('handles every case with a message, text rendering and a usable app', async () => {
    const { page, context } = browser;
    await page.goto(server.url);
    await page.locator('[data-testid="sql-input"][data-ready="true"]').waitFor();
    const SQL = await loadSqlJs();
    const concert = new Uint8Array(readFileSync(CONCERT_SINGER));

    const open = (name: string, buffer: Buffer) =>
      page
        .getByTestId('db-file')
        .setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    const refused = async (name: string, buffer: Buffer, why: RegExp) => {
      await open(name, buffer);
      await expect
        .poll(
          async () =>
            (await page
              .getByTestId('db-error')
              .textContent()
              .catch(() => '')) ?? '',
        )
        .toMatch(why);
      expect(await page.getByTestId('db-error').textContent()).toContain(name.slice(0, 20));
    };
    const opened = async (name: string, buffer: Buffer) => {
      await open(name, buffer);
      await page.getByTestId('db-name').getByText(name, { exact: false }).waitFor();
    };
    const consoleRun = async (sql: string) => {
      await page.getByTestId('console-sql').fill(sql);
      await page.getByTestId('console-run').click();
      await page
        .locator('[data-testid="console-rows"] table, [data-testid="console-rows-error"]')
        .first()
        .waitFor({ timeout: 20_000 });
    };
    const setSql = (sql: string) =>
      page.locator('[data-testid="sql-input"][data-ready="true"] .cm-content').fill(sql);
    const correctEnds = async () => {
      await page.getByTestId('correct').click();
      await page.getByTestId('correct').and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
    };
    let answer: (route: Route) => Promise<void> = (route) => route.abort();
    await context.route(`${ENDPOINT}/chat/completions`, (route) => answer(route));

    // A database for the data cases: odd names, markup in cells, a big blob.
    const odd = new SQL.Database();
    odd.run(`CREATE TABLE "my table" ("select" TEXT, "a.b" INTEGER, "naïve 名" TEXT, "it's" TEXT)`);
    odd.run(`INSERT INTO "my table" VALUES ('kw', 42, 'ünï', 'quote')`);
    odd.run('CREATE TABLE notes (body TEXT)');
    odd.run(
      `INSERT INTO notes VALUES ('<script>window.__pwned = 1</script>'), ('<img src=x onerror="window.__pwned = 2">'), ('<b>bold?</b>')`,
    );
    odd.run('CREATE TABLE blobs (data BLOB)');
    odd.run('INSERT INTO blobs VALUES (zeroblob(5242880))');
    const oddBytes = Buffer.from(odd.export());
    odd.close();

    const cases: UiCase[] = [
      {
        name: 'an empty file',
        expected: 'refused: empty',
        run: () => refused('empty.sqlite', Buffer.alloc(0), /empty \(0 bytes\)/),
      },
      {
        name: 'one byte',
        expected: 'refused: not SQLite',
        run: () => refused('one.db', Buffer.from('x'), /not a SQLite database/),
      },
      {
        name: 'a PNG image',
        expected: 'refused: not SQLite',
        run: () =>
          refused(
            'picture.sqlite',
            Buffer.from([
              0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82,
            ]),
            /not a SQLite database/,
          ),
      },
      {
        name: 'a text file',
        expected: 'refused: a text file',
        run: () => refused('notes.db', Buffer.from('id,name\n1,Ann\n'), /text file/),
      },
      {
        name: 'a database over the memory budget (sparse, 600 MB)',
        expected: 'refused from its header, without reading the file',
        run: async () => {
          const dir = mkdtempSync(join(tmpdir(), 'share-big-'));
          const path = join(dir, 'huge.sqlite');
          writeFileSync(path, concert.subarray(0, PAGE));
          truncateSync(path, 600 * 1024 * 1024);
          // Count the bytes the page reads from the files it is given.
          await page.evaluate(() => {
            const w = window as { __readBytes?: number };
            w.__readBytes = 0;
            const read = Blob.prototype.arrayBuffer;
            Blob.prototype.arrayBuffer = function (this: Blob) {
              w.__readBytes! += this.size;
              return read.call(this);
            };
          });
          try {
            await page.getByTestId('db-file').setInputFiles(path);
            await expect
              .poll(async () => (await page.getByTestId('db-error').textContent()) ?? '')
              .toMatch(/more than the memory budget of 512/);
            const read = await page.evaluate(
              () => (window as { __readBytes?: number }).__readBytes,
            );
            expect(read).toBeLessThanOrEqual(100);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      },
      {
        name: 'a truncated database',
        expected: 'refused: incomplete',
        run: () =>
          refused(
            'half.sqlite',
            Buffer.from(concert.subarray(0, 3 * PAGE + 100)),
            /incomplete|not a whole number/,
          ),
      },
      {
        name: 'a corrupted b-tree page',
        expected: 'refused: damaged',
        run: () =>
          refused(
            'corrupt.sqlite',
            patched(concert, (b) => {
              b[2 * PAGE + 8] = 0xff;
              b[2 * PAGE + 9] = 0xff;
            }),
            /damaged/,
          ),
      },
      {
        name: 'an encrypted-looking file',
        expected: 'refused: not SQLite',
        run: () =>
          refused(
            'secret.sqlite',
            Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 251)),
            /not a SQLite database/,
          ),
      },
      {
        name: 'a WAL-mode database',
        expected: 'opens, with a warning about its -wal file',
        run: async () => {
          await opened(
            'wal-mode.sqlite',
            patched(concert, (b) => {
              b[18] = 2;
              b[19] = 2;
            }),
          );
          await page.getByText(/WAL mode: changes still in its "-wal" file/).waitFor();
        },
      },
      {
        name: 'odd characters and markup in the file name',
        expected: 'opens; the name is shown as text',
        run: async () => {
          const name = 'Été "q" <b>x</b> 🎵.sqlite';
          await open(name, Buffer.from(concert));
          await expect.poll(() => page.getByTestId('db-name').textContent()).toContain(name);
          expect(await page.getByTestId('db-name').locator('b').count()).toBe(0);
          expect(await page.getByTestId('db-name').locator('strong').textContent()).toBe(name);
        },
      },
      {
        name: 'table and column names with spaces, quotes, dots, unicode and keywords',
        expected: 'listed exactly and queryable',
        run: async () => {
          await opened('odd.sqlite', oddBytes);
          await page.getByTestId('schema-table').getByText('my table').waitFor();
          await page.getByRole('button', { name: /my table/ }).click();
          for (const column of ['select', 'a.b', 'naïve 名', "it's"]) {
            await page.getByText(column, { exact: true }).first().waitFor();
          }
          await consoleRun(`SELECT "select", "a.b", "naïve 名", "it's" FROM "my table"`);
          expect(await page.getByTestId('console-rows').locator('td').allTextContents()).toEqual([
            'kw',
            '42',
            'ünï',
            'quote',
          ]);
        },
      },
      {
        name: '<script> and markup in cells',
        expected: 'shown as text; nothing runs',
        run: async () => {
          await consoleRun('SELECT body FROM notes');
          const cells = await page.getByTestId('console-rows').locator('td').allTextContents();
          expect(cells).toEqual([
            '<script>window.__pwned = 1</script>',
            '<img src=x onerror="window.__pwned = 2">',
            '<b>bold?</b>',
          ]);
          expect(await page.getByTestId('console-rows').locator('script, img, b').count()).toBe(0);
        },
      },
      {
        name: 'a 5 MB blob',
        expected: 'shown as its size',
        run: async () => {
          await consoleRun('SELECT data FROM blobs');
          await page.getByTestId('console-rows').getByText('<blob 5242880 bytes>').waitFor();
        },
      },
      {
        name: 'a million rows',
        expected: 'capped, said so',
        run: async () => {
          await consoleRun(
            'WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r LIMIT 1000000) SELECT i FROM r',
          );
          await page
            .getByTestId('console-rows')
            .getByText(/\d+\+ rows/)
            .waitFor();
        },
      },
      {
        name: 'DELETE in the console',
        expected: 'refused, nothing written',
        run: async () => {
          await consoleRun('DELETE FROM notes');
          expect(await page.getByTestId('console-rows-error').textContent()).toMatch(
            /DELETE|read-only|only/i,
          );
          await consoleRun('SELECT count(*) FROM notes');
          await page
            .getByTestId('console-rows')
            .getByRole('cell', { name: '3', exact: true })
            .waitFor();
        },
      },
      {
        name: 'two statements',
        expected: 'refused',
        run: async () => {
          await consoleRun('SELECT 1; SELECT 2');
          expect(await page.getByTestId('console-rows-error').textContent()).toMatch(/statement/i);
        },
      },
      {
        name: 'load_extension',
        expected: 'refused or failed with a message',
        run: async () => {
          await consoleRun("SELECT load_extension('/tmp/evil.so')");
          expect(await page.getByTestId('console-rows-error').textContent()).toMatch(
            /no such function: load_extension|refused|not allowed/,
          );
        },
      },
      {
        name: 'a syntax error in the SQL to correct (no model)',
        expected: "SQLite's message for the rows; the run ends",
        run: async () => {
          await page.getByTestId('engine-none').check();
          await setSql('SELECT body FROM notes WHERE');
          await correctEnds();
          expect(await page.getByTestId('rows-initial-error').textContent()).toMatch(
            /syntax error|incomplete/,
          );
        },
      },
      {
        name: 'model output with markup and no trajectory block',
        expected: 'shown as text; the run ends with a result or a message',
        run: async () => {
          answer = (route) =>
            route.fulfill({
              status: 200,
              headers: { 'content-type': 'text/event-stream', 'access-control-allow-origin': '*' },
              body: sse(
                '<img src=x onerror="window.__pwned = 3"><script>window.__pwned = 4</script> no block here',
              ),
            });
          await page.getByTestId('engine-openai').check();
          await page.getByTestId('endpoint-url').fill(ENDPOINT);
          for (const role of ['bam', 'sam', 'lom'])
            await page.getByTestId(`endpoint-model-${role}`).fill(role);
          await page.getByTestId('endpoint-model-generator').fill('');
          await page.getByTestId('endpoint-ack').check();
          await page.getByTestId('question').fill('Which note is <b>bold</b>?');
          await setSql('SELECT body FROM notes');
          await correctEnds();
          await expect
            .poll(() => page.getByTestId('stage-bam').textContent())
            .toContain('window.__pwned = 3');
          expect(
            await page.getByTestId('stage-bam').locator('img, script:not([src])').count(),
          ).toBe(0);
        },
      },
      {
        name: '100 kB of garbage from the model',
        expected: 'the run ends with a result or a message',
        run: async () => {
          const garbage = Array.from({ length: 100_000 }, (_, i) =>
            String.fromCharCode(33 + ((i * 31) % 90)),
          ).join('');
          answer = (route) =>
            route.fulfill({
              status: 200,
              headers: { 'content-type': 'text/event-stream', 'access-control-allow-origin': '*' },
              body: sse(garbage),
            });
          await correctEnds();
        },
      },
      {
        name: 'HTTP 500 from the endpoint',
        expected: 'a message naming the status',
        run: async () => {
          answer = (route) =>
            route.fulfill({
              status: 500,
              headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
              body: '{"error":{"message":"boom"}}',
            });
          await correctEnds();
          expect(await page.getByTestId('correction-error').textContent()).toMatch(/500/);
        },
      },
      {
        name: 'malformed server-sent events',
        expected: 'a message, no crash',
        run: async () => {
          answer = (route) =>
            route.fulfill({
              status: 200,
              headers: { 'content-type': 'text/event-stream', 'access-control-allow-origin': '*' },
              body: 'data: {"choices": [\n\ndata: not json at all\n\n',
            });
          await correctEnds();
          expect(await page.getByTestId('correction-error').textContent()).toMatch(
            /sent an event that is not JSON/,
          );
        },
      },
      {
        name: 'the connection refused',
        expected: 'a message naming the network failure',
        run: async () => {
          answer = (route) => route.abort('connectionrefused');
          await correctEnds();
          expect(await page.getByTestId('correction-error').textContent()).toMatch(
            /cannot reach http:\/\/127\.0\.0\.1:9\/v1/,
          );
        },
      },
    ];

    const handled: string[] = [];
    for (const c of cases) {
      try {
        await c.run();
      } catch (error) {
        throw new Error(`case "${c.name}" (expected: ${c.expected}): ${(error as Error).message}`);
      }
      // Still usable: no uncaught error, no dialog, nothing injected ran.
      expect(browser.pageErrors, c.name).toEqual([]);
      expect(dialogs, c.name).toEqual([]);
      expect(
        await page.evaluate(() => (window as { __pwned?: number }).__pwned),
        c.name,
      ).toBeUndefined();
      await page.getByTestId('correct').waitFor();
      // Whatever the input did to the page, it stays accessible (axe finds nothing).
      expect(await axeViolations(page), c.name).toEqual([]);
      handled.push(c.name);
    }
    console.log(`hostile UI corpus: ${handled.length} cases, all handled`);
    expect(handled.length).toBe(cases.length);
  }, 180_000);
});
