import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadSqlJs } from '../support/sqljs';
import { launch, type TestBrowser } from './support/chromium';
import { findLeaks, type RecordedRequest, recordRequests } from './support/privacy';
import { type ReplayServer, startReplayServer } from './support/replay-server';
import { type StaticServer, serveStatic } from './support/static-server';

// Issue 6, part 3: a whole session records every request; nothing goes to another origin
// and no request carries a table or column name, the question or a cell value, except to
// the OpenAI-compatible endpoint the user configured. The checker itself is tested on a
// page that leaks on purpose.

const TABLE = 'zebra_ledger';
const COLUMN = 'quetzal_code';
const CELL = 'Xylophone-Tangerine-8731';
const QUESTION = 'Which zebra ledger entries carry the marigold tag?';
const SECRETS = [TABLE, COLUMN, CELL, QUESTION, 'marigold'];

const CHAT_CONFIG = JSON.stringify({
  context_window_size: 4096,
  tokenizer_files: ['tokenizer.json'],
  conv_template: { name: 'phi-3', roles: {}, seps: [], stop_str: [], stop_token_ids: [] },
});

/** A small database whose names and values are the secrets. */
async function secretDatabase(): Promise<Buffer> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run(`CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, ${COLUMN} TEXT, tag TEXT, amount REAL);`);
  for (let i = 1; i <= 40; i++) {
    db.run(`INSERT INTO ${TABLE} VALUES (?, ?, ?, ?)`, [
      i,
      i === 7 ? CELL : `code-${i}`,
      i % 3 ? 'marigold' : 'plain',
      i * 1.5,
    ]);
  }
  const bytes = Buffer.from(db.export());
  db.close();
  return bytes;
}

/** A loopback server on another port that logs what reaches it (the leak sink). */
async function startSink(): Promise<{ url: string; log: string[]; close(): Promise<void> }> {
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    log.push(req.url ?? '');
    res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('browser: privacy of a whole session', () => {
  let server: StaticServer;
  let replay: ReplayServer;
  let browser: TestBrowser;
  let recorded: { requests: RecordedRequest[]; cspViolations: string[] };
  let appOrigin: string;

  beforeAll(async () => {
    // The shipped manifest's q4f32 SHARE models point at models/ on this origin: serve a
    // local model folder there (a real config, a library that is not WebAssembly, since no
    // weights exist here), so every web-llm network path runs up to the load failure.
    const extra: Record<string, string> = {
      'models/libs/Phi-3-mini-4k-instruct-q4f32_1_cs1k-webgpu.wasm': 'not WebAssembly',
    };
    for (const role of ['bam', 'sam', 'lom']) {
      const dir = `models/share-${role}-q4f32_1-MLC/resolve/main/`;
      extra[`${dir}mlc-chat-config.json`] = CHAT_CONFIG;
      extra[`${dir}tokenizer.json`] = '{}';
      extra[`${dir}tensor-cache.json`] = '{"records":[]}';
    }
    server = await serveStatic(inject('distDir'), '/share/', extra);
    appOrigin = new URL(server.url).origin;
    replay = await startReplayServer([], { delayMs: 0 });
    browser = await launch({ webgpu: true });
    recorded = recordRequests(browser.context);
  });
  afterAll(async () => {
    await browser?.close();
    await replay?.close();
    await server?.close();
  });

  it('sends nothing to another origin and no schema, question or value to its own', async () => {
    const { page } = browser;
    const bytes = await secretDatabase();
    await page.goto(server.url);
    await page.locator('[data-testid="gpu-status"] [data-state="available"]').waitFor();
    await page
      .locator('html[data-offline-ready="true"]')
      .waitFor({ timeout: 60_000 })
      .catch(async (error: Error) => {
        const status = await page.getByTestId('offline-status').evaluate((e) => e.outerHTML);
        throw new Error(`${error.message}\n${status}\n${server.requests.join(' ')}`);
      });

    // Open the database, browse its schema and profiles.
    await page
      .getByTestId('db-file')
      .setInputFiles({ name: 'ledger.sqlite', mimeType: 'application/x-sqlite3', buffer: bytes });
    await page.getByTestId('db-name').waitFor();
    await page.getByRole('button', { name: new RegExp(TABLE) }).click();
    await page
      .getByText(/40 non-null/)
      .first()
      .waitFor();

    // Type the question and SQL; run without a model (SQL, trajectory, first prompt).
    await page.getByTestId('question').fill(QUESTION);
    await page.getByTestId('evidence').fill(`${COLUMN} is the code; tag = 'marigold'`);
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill(`SELECT ${COLUMN} FROM ${TABLE} WHERE tag = 'marigold' AND ${COLUMN} = '${CELL}'`);
    await page.getByTestId('engine-none').check();
    await page.getByTestId('correct').click();
    await page.getByTestId('rows-initial').getByText(CELL).waitFor();
    await page.getByTestId('preview-bam').getByText(new RegExp(TABLE)).waitFor();

    // The local models: loading reaches web-llm's worker and fails on the fake library.
    await page.getByTestId('engine-webgpu').check();
    await page.getByTestId('correct').click();
    await page
      .getByTestId('correction-error')
      .getByText(/not a usable WebAssembly file/)
      .waitFor({ timeout: 60_000 });

    // A read-only query with the secrets in it.
    await page
      .getByTestId('console-sql')
      .fill(`SELECT * FROM ${TABLE} WHERE ${COLUMN} = '${CELL}'`);
    await page.getByTestId('console-run').click();
    await page.getByTestId('console-rows').getByText(CELL).waitFor();

    // The model manager (web-llm's cache API), the benchmark (loads, fails), the demo.
    await page.getByTestId('open-models').click();
    await page.getByTestId('storage').waitFor();
    await page.getByTestId('open-bench').click();
    await page.getByTestId('bench-run').click();
    await page.getByTestId('bench-error').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('bench-model-error').first().textContent()).toMatch(
      /WebAssembly/,
    );

    // The service worker kept the library web-llm fetched from this origin for offline use.
    const libs = await page.evaluate(async () =>
      (await (await caches.open('share-model-libs')).keys()).map((r) => r.url),
    );
    expect(libs).toContain(
      `${server.url}models/libs/Phi-3-mini-4k-instruct-q4f32_1_cs1k-webgpu.wasm`,
    );

    // A reload restores the database and the session from IndexedDB.
    await page.reload();
    await page.getByTestId('db-name').getByText('ledger.sqlite').waitFor();
    await expect.poll(() => page.getByTestId('question').inputValue()).toBe(QUESTION);

    // The static demo (its own database and questions), then back to the user's file.
    await page.getByTestId('open-demo').click();
    await page.getByTestId('demo-question').selectOption('lyon-customers');
    await page
      .getByTestId('demo-rows-correct')
      .getByText(/\d+ rows/)
      .waitFor();
    await page.getByRole('button', { name: 'Correct', exact: true }).first().click();
    await page
      .getByTestId('db-file')
      .setInputFiles({ name: 'ledger.sqlite', mimeType: 'application/x-sqlite3', buffer: bytes });
    await page.getByTestId('db-name').getByText('ledger.sqlite').waitFor();

    const local = findLeaks(
      [
        ...recorded.requests,
        ...server.requests.map((p) => ({ url: appOrigin + p, method: 'GET', body: '' })),
      ],
      { appOrigin, secrets: SECRETS },
      recorded.cspViolations,
    );
    expect(local).toEqual([]);
    // The session did fetch from its origin: pages, workers, wasm, the service worker.
    const paths = new Set(recorded.requests.map((r) => new URL(r.url).pathname));
    expect([...paths].some((p) => p.endsWith('/sw.js'))).toBe(true);
    expect([...paths].some((p) => /sql-wasm.*\.wasm$/.test(p))).toBe(true);
    expect([...paths].some((p) => p.endsWith('/mlc-chat-config.json'))).toBe(true);
    expect([...paths].some((p) => /q4f32_1_cs1k-webgpu\.wasm$/.test(p))).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  }, 180_000);

  it('lets only the configured endpoint receive the question and schema', async () => {
    const { page } = browser;
    const before = recorded.requests.length;
    replay.answers = ['```sr\ndf1 = df.where(element = zebra_ledger.tag, filter = marigold)\n```'];
    await page.getByRole('button', { name: 'Correct', exact: true }).first().click();
    await page.getByTestId('engine-openai').check();
    await page.getByTestId('endpoint-url').fill(replay.baseUrl);
    for (const role of ['bam', 'sam', 'lom']) {
      await page.getByTestId(`endpoint-model-${role}`).fill(role);
    }
    await page.getByTestId('endpoint-model-generator').fill('');
    await page.getByTestId('endpoint-ack').check();
    await page.getByTestId('correct').click();
    await page.getByTestId('correct').and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
    expect(replay.received.length).toBeGreaterThan(0);

    const session = recorded.requests.slice(before);
    const endpoint = new URL(replay.baseUrl).origin;
    expect(findLeaks(session, { appOrigin, allowedOrigins: [endpoint], secrets: SECRETS })).toEqual(
      [],
    );
    // Without the user's consent the same traffic is a leak: the checker sees the secrets.
    const unconsented = findLeaks(session, { appOrigin, secrets: SECRETS });
    expect(unconsented.some((l) => l.why === 'other-origin' && l.url.startsWith(endpoint))).toBe(
      true,
    );
    expect(replay.received.some((r) => JSON.stringify(r.messages).includes(TABLE))).toBe(true);
  }, 90_000);

  it('ships a CSP whose connect-src allows only this origin, the manifest hosts and loopback', async () => {
    const html = readFileSync(join(inject('distDir'), 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const connect = /connect-src ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
    const manifest = JSON.parse(
      readFileSync(join(inject('distDir'), 'models-manifest.json'), 'utf8'),
    );
    const hosts = new Set<string>();
    for (const m of manifest.models) {
      for (const u of [m.modelUrl, m.modelLibUrl])
        if (/^https?:/.test(u)) hosts.add(new URL(u).origin);
    }
    for (const host of hosts) expect(connect).toContain(host);
    for (const source of connect) {
      const ok =
        ["'self'", 'data:', 'blob:'].includes(source) ||
        hosts.has(source) ||
        /^https:\/\/\*\.(huggingface\.co|hf\.co)$/.test(source) ||
        /^http:\/\/(127\.0\.0\.1|localhost):\*$/.test(source);
      expect(ok, source).toBe(true);
    }
    // The CSP is enforced: a fetch to a host it does not list is refused by the browser.
    const { page } = browser;
    const refused = await page.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'fetched',
        (error: Error) => `refused: ${error.message}`,
      ),
    );
    expect(refused).toMatch(/^refused/);
    // Refused by the policy itself, before any request left the page.
    expect(recorded.cspViolations.join('\n')).toMatch(
      /Connecting to 'https:\/\/example\.com\/' violates the following Content Security Policy directive: "connect-src/,
    );
    expect(recorded.requests.some((r) => r.url.startsWith('https://example.com'))).toBe(false);
    recorded.cspViolations.length = 0;
  });
});

describe('browser: the privacy checker catches a leaking page', () => {
  it('flags a table name sent to another origin and a cell value sent in a body', async () => {
    const fixture = readFileSync(join(import.meta.dirname, 'fixtures/leaky.html'), 'utf8');
    const server = await serveStatic(inject('distDir'), '/share/', {
      'fixtures/leaky.html': fixture,
    });
    const sink = await startSink();
    const browser = await launch({ webgpu: false });
    try {
      const recorded = recordRequests(browser.context);
      await browser.page.goto(
        `${server.url}fixtures/leaky.html?sink=${encodeURIComponent(sink.url)}`,
      );
      await browser.page.getByText('done').waitFor();
      const leaks = findLeaks(recorded.requests, {
        appOrigin: new URL(server.url).origin,
        secrets: SECRETS,
      });
      expect(leaks.map((l) => l.why).sort()).toEqual(['other-origin', 'secret-in-body']);
      expect(leaks.find((l) => l.why === 'other-origin')?.url).toContain('table=zebra_ledger');
      expect(leaks.find((l) => l.why === 'secret-in-body')?.secret).toBe(CELL.toLowerCase());
      // The sink's own log agrees: the table name reached it.
      expect(sink.log.some((line) => line.includes(TABLE))).toBe(true);
    } finally {
      await browser.close();
      await sink.close();
      await server.close();
    }
  }, 60_000);
});
