import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHINOOK } from '../paths';
import { launch, type TestBrowser } from './support/chromium';
import { type StaticServer, serveStatic } from './support/static-server';

// c) With the SwiftShader WebGPU flags the app reports an adapter without shader-f16 and
// offers only the q4f32 variants. d) A model whose folder does not exist fails to load
// with a message naming the URL and the README section; no unhandled rejection.
describe('browser: WebGPU on SwiftShader', () => {
  let server: StaticServer;
  let browser: TestBrowser;
  let hangingLibRequests = 0;

  beforeAll(async () => {
    // The shipped manifest plus one model whose files exist but whose library is not
    // WebAssembly: it gets past our checks, so web-llm's own worker must report the failure.
    const dist = inject('distDir');
    const manifest = JSON.parse(readFileSync(join(dist, 'models-manifest.json'), 'utf8'));
    manifest.models.push({
      ...manifest.models.find((m: { id: string }) => m.id === 'share-bam-q4f32_1-MLC'),
      id: 'broken-lib-q4f32_1-MLC',
      displayName: 'Broken library (test) · q4f32_1',
      modelUrl: 'models/broken/',
      modelLibUrl: 'models/libs/broken-webgpu.wasm',
    });
    manifest.models.push({
      ...manifest.models.find((m: { id: string }) => m.id === 'share-bam-q4f32_1-MLC'),
      id: 'hanging-lib-q4f32_1-MLC',
      displayName: 'Library that never arrives (test) · q4f32_1',
      modelUrl: 'models/broken/',
      modelLibUrl: 'models/libs/hanging-webgpu.wasm',
    });
    server = await serveStatic(dist, '/share/', {
      // Answers HEAD (the app's own check) but never finishes a GET (web-llm's download).
      'models/libs/hanging-webgpu.wasm': (req, res) => {
        if (req.method === 'GET') hangingLibRequests++;
        res.writeHead(200, { 'content-type': 'application/wasm' });
        if (req.method === 'HEAD') res.end();
        else res.write(new Uint8Array([0, 0x61, 0x73, 0x6d]));
      },
      'models-manifest.json': JSON.stringify(manifest),
      'models/broken/resolve/main/mlc-chat-config.json': JSON.stringify({
        context_window_size: 4096,
        tokenizer_files: ['tokenizer.json'],
        conv_template: { name: 'phi-3', roles: {}, seps: [], stop_str: [], stop_token_ids: [] },
      }),
      'models/libs/broken-webgpu.wasm': 'this is not WebAssembly',
    });
    browser = await launch({ webgpu: true });
    await browser.page.goto(server.url);
    await browser.page.locator('[data-testid="gpu-status"] [data-state]').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reports an adapter without shader-f16 and offers only q4f32 models', async () => {
    const { page } = browser;
    const status = (await page.getByTestId('gpu-status').textContent()) ?? '';
    expect(status).toMatch(/WebGPU: .*swiftshader/);
    expect(status).toMatch(/no shader-f16.*only q4f32 models can run/);

    // The engine defaults to the local models; each role offers q4f32 variants only.
    expect(await page.getByTestId('engine-webgpu').isChecked()).toBe(true);
    for (const role of ['bam', 'sam', 'lom', 'generator']) {
      const options = await page.getByTestId(`model-${role}`).locator('option').allTextContents();
      const models = options.filter((o) => !o.startsWith('none'));
      expect(models.length, role).toBeGreaterThan(0);
      expect(
        models.every((o) => o.includes('q4f32_1')),
        `${role}: ${models}`,
      ).toBe(true);
    }

    await page.getByTestId('open-models').click();
    const rows = page.getByTestId('model-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(6);
    for (const row of await rows.all()) {
      const id = (await row.getAttribute('data-model')) ?? '';
      const offered = await row.getAttribute('data-offered');
      expect(offered, id).toBe(id.includes('q4f32') ? 'true' : 'false');
      if (id.includes('q4f16')) {
        expect(await row.getByTestId('model-status').textContent()).toContain('needs shader-f16');
        expect(await row.getByTestId('model-load').isDisabled()).toBe(true);
      }
    }
    await page.getByTestId('storage').waitFor();
    // web-llm's cache API answered on the page for the runnable models.
    const q4f32 = page.locator('[data-testid="model-row"][data-model="share-lom-q4f32_1-MLC"]');
    await q4f32.getByText('not downloaded').waitFor();
  });

  it("reports web-llm's own failure from its worker, as a message", async () => {
    const { page } = browser;
    const row = page.locator('[data-testid="model-row"][data-model="broken-lib-q4f32_1-MLC"]');
    await row.getByTestId('model-load').click();
    const error = row.getByTestId('model-error');
    await error.waitFor({ timeout: 30_000 });
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(
      /^broken-lib-q4f32_1-MLC: its model library is not a usable WebAssembly file \(.*WebAssembly\.instantiate\(\): expected magic word/,
    );
    expect(text).not.toContain('model files not found');
    expect(text).not.toMatch(/\bat \w+ \(|\.js:\d+/);
    expect(await row.getByTestId('model-load').isEnabled()).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  }, 40_000);

  it('cancels a model load in progress, from the model manager and from a correction', async () => {
    const { page } = browser;
    const row = page.locator('[data-testid="model-row"][data-model="hanging-lib-q4f32_1-MLC"]');
    await row.getByTestId('model-load').click();
    // web-llm (in its worker) is downloading the library when Cancel is pressed.
    await expect.poll(() => hangingLibRequests).toBe(1);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByTestId('model-error').getByText('loading was cancelled').waitFor();
    expect(await row.getByTestId('model-load').isEnabled()).toBe(true);

    // The same model as BAM: cancelling the correction while BAM loads stops both.
    await page.getByRole('button', { name: 'Correct', exact: true }).first().click();
    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    await page.getByTestId('db-name').waitFor();
    await page.getByTestId('model-bam').selectOption('hanging-lib-q4f32_1-MLC');
    await page.getByTestId('question').fill('How many albums are there?');
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill('SELECT count(*) FROM Album');
    await page.getByTestId('correct').click();
    await page.locator('[data-testid="stage-bam"][data-status="running"]').waitFor();
    await expect.poll(() => hangingLibRequests).toBe(2);
    await page.getByTestId('cancel').click();
    await page.getByTestId('correction-error').getByText('Cancelled during stage bam').waitFor();
    await page.getByTestId('model-bam').selectOption('share-bam-q4f32_1-MLC');
    await page.getByTestId('open-models').click();
    expect(browser.pageErrors).toEqual([]);
  }, 40_000);

  it('names the missing model folder and the README section when loading fails', async () => {
    const { page } = browser;
    const row = page.locator('[data-testid="model-row"][data-model="share-sam-q4f32_1-MLC"]');
    await row.getByTestId('model-load').click();
    const error = row.getByTestId('model-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toContain(`model files not found at ${server.url}models/share-sam-q4f32_1-MLC/`);
    expect(text).toContain('README section "Preparing the SHARE models"');
    expect(text).not.toMatch(/\bat \w+ \(|\.js:\d+/); // no stack trace

    // The same failure through a correction: the stage names it, the app keeps working.
    await page.getByRole('button', { name: 'Correct', exact: true }).first().click();
    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    await page.getByTestId('db-name').waitFor();
    await page.getByTestId('question').fill('How many albums are there?');
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill('SELECT count(*) FROM Album');
    await page.getByTestId('correct').click();
    const failure = page.getByTestId('correction-error');
    await failure.waitFor({ timeout: 20_000 });
    expect(await failure.textContent()).toMatch(
      /Stage bam failed: model files not found at http:\/\/127\.0\.0\.1:\d+\/share\/models\/share-bam-q4f32_1-MLC\/.*Preparing the SHARE models/,
    );
    await page.getByTestId('rows-initial').getByText('347').waitFor();

    // A prompt that cannot fit the context window is refused before any model loads.
    const modelRequests = server.requests.filter((p) => p.includes('/models/')).length;
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill(`SELECT ${'AlbumId, '.repeat(3000)}Title FROM Album`);
    await page.getByTestId('correct').click();
    await page
      .getByTestId('correction-error')
      .getByText(
        /Stage bam failed: the prompt \(at least \d+ tokens\) does not fit the 4096-token context window of share-bam-q4f32_1-MLC/,
      )
      .waitFor();
    expect(server.requests.filter((p) => p.includes('/models/')).length).toBe(modelRequests);

    await page.waitForTimeout(300);
    expect(browser.pageErrors).toEqual([]);
    expect(browser.consoleErrors.filter((e) => /uncaught|unhandled/i.test(e))).toEqual([]);
  }, 40_000);
});
