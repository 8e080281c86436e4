/**
 * Takes the README's screenshots in headless Chromium (Debian's, never downloaded): the main
 * view mid-correction (a recorded spider2sqlite item replayed by a loopback
 * OpenAI-compatible server) and the model manager (WebGPU on SwiftShader).
 * Usage: npm run screenshots [-- OUT_DIR]   (default docs/screenshots)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { recordingOf } from '../src/core/reference/conformance';
import { parseReferenceSet } from '../src/core/reference/reference-set';
import { stripBirdSuffix } from '../src/core/share/item';
import { STAGES } from '../src/core/share/stages';
import { launch } from '../test/browser/support/chromium';
import { sqliteFromTablesJson } from '../test/browser/support/db-from-tables-json';
import { startReplayServer } from '../test/browser/support/replay-server';
import { serveStatic } from '../test/browser/support/static-server';
import { ROOT, SPIDER2SQLITE } from '../test/paths';
import { loadSqlJs } from '../test/support/sqljs';

const IDX = 10;

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? join(ROOT, 'docs/screenshots'));
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'share-web-shots-'));
  const dist = join(work, 'dist');
  await build({ root: ROOT, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });

  const files = new Map<string, string>();
  for (const name of readdirSync(SPIDER2SQLITE)) {
    if (/\.(json|jsonl)$/.test(name))
      files.set(name, readFileSync(join(SPIDER2SQLITE, name), 'utf8'));
  }
  const ref = parseReferenceSet('spider2sqlite', files);
  const item = ref.items.find((i) => i.idx === IDX)!;
  const entry = ref.tables.find((t) => t.db_id === item.dbId)!;
  const dbFile = join(work, `${item.dbId}.sqlite`);
  writeFileSync(dbFile, sqliteFromTablesJson(await loadSqlJs(), entry));
  const recording = recordingOf(ref);
  const answers = STAGES.map((s) => recording.get(s)!.get(IDX)!.response);

  const server = await serveStatic(dist);
  const replay = await startReplayServer(answers, { delayMs: 5, chunkSize: 6 });
  const browser = await launch({ webgpu: true });
  try {
    const { page } = browser;
    await page.setViewportSize({ width: 1400, height: 1500 });
    await page.goto(server.url);
    await page.getByTestId('db-file').setInputFiles(dbFile);
    await page.getByTestId('db-name').waitFor();
    await page.getByTestId('engine-openai').check();
    await page.getByTestId('endpoint-url').fill(replay.baseUrl);
    for (const role of ['bam', 'sam', 'lom', 'generator']) {
      await page.getByTestId(`endpoint-model-${role}`).fill(role);
    }
    await page.getByTestId('use-profiles').uncheck();
    await page.getByTestId('question').fill(item.question);
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill(stripBirdSuffix(item.initialSql));
    await page.getByTestId('endpoint-ack').check();
    await page.getByTestId('schema-table').first().locator('button').click();
    await page.getByTestId('correct').click();
    // Hold the stream as soon as LOM's request arrives, so the picture shows it mid-way.
    while (replay.received.length < 4) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 60));
    replay.delayMs = 10_000;
    await page.locator('[data-testid="stage-lom"][data-status="running"]').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, 'main-mid-correction.png'), fullPage: true });
    await page.getByTestId('cancel').click();

    await page.getByTestId('open-models').click();
    await page.getByTestId('storage').waitFor();
    await page.getByText('not downloaded').first().waitFor();
    const row = page.locator('[data-testid="model-row"][data-model="share-bam-q4f32_1-MLC"]');
    await row.getByTestId('model-load').click();
    await row.getByTestId('model-error').waitFor();
    await page.setViewportSize({ width: 1400, height: 1100 });
    await page.screenshot({ path: join(outDir, 'model-manager.png'), fullPage: false });
    console.log(`screenshots written to ${outDir}`);
  } finally {
    await browser.close();
    await replay.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`screenshots failed: ${error.message}`);
  process.exit(1);
});
