import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, type TestBrowser } from './support/chromium';
import { type StaticServer, serveStatic } from './support/static-server';

// Issue 7, parts 3 and 4: the build served under /demo/ with no model files and no WebGPU.
// The demo works at once: a question's wrong SQL gets its trajectory and schema checks
// (computed without a model) and both SQL statements run; it leads to the full correction
// and to the models. The benchmark page says there is no usable adapter and still exports
// a report of the documented shape.
describe('browser: static demo under a sub-path, and the benchmark page without a GPU', () => {
  let server: StaticServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await serveStatic(inject('distDir'), '/demo/');
    browser = await launch({ webgpu: false, extraFlags: ['--disable-webgpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows schema checks, trajectory and rows of wrong and correct SQL without a model', async () => {
    const { page } = browser;
    await page.goto(`${server.url}#demo`);
    await page.locator('[data-testid="demo-view"][data-status="ready"]').waitFor();
    const questions = page.getByTestId('demo-question');
    expect(await questions.locator('option').count()).toBe(14); // "choose…" + 13

    // A wrong column: named by the schema check, refused by SQLite, the correct SQL's rows.
    await questions.selectOption('lyon-customers');
    await page.getByTestId('demo-problems').getByText(/name/).waitFor();
    expect(await page.getByTestId('demo-problems').textContent()).toMatch(/first_name|last_name/);
    await page
      .getByTestId('demo-rows-wrong-error')
      .getByText(/no such column: name/)
      .waitFor();
    await page
      .getByTestId('demo-rows-correct')
      .getByText(/\d+ rows/)
      .waitFor();

    // A logic mistake: every name exists, the trajectory shows the SQL, the rows differ,
    // and the diff points at the one word that is wrong.
    await questions.selectOption('garden-average-price');
    await page.getByTestId('demo-problems-none').waitFor();
    expect(await page.getByTestId('demo-diff').locator('del').allTextContents()).toEqual(['MAX']);
    expect(await page.getByTestId('demo-diff').locator('ins').allTextContents()).toEqual(['AVG']);
    expect(await page.getByTestId('demo-trajectory').textContent()).toMatch(/products/);
    await page
      .getByTestId('demo-rows-wrong')
      .getByText(/\d+ rows/)
      .waitFor();
    await page
      .getByTestId('demo-rows-correct')
      .getByText(/\d+ rows/)
      .waitFor();
    const wrong = await page.getByTestId('demo-rows-wrong').locator('td').allTextContents();
    const right = await page.getByTestId('demo-rows-correct').locator('td').allTextContents();
    expect(wrong).not.toEqual(right);

    // A syntax error is reported as such.
    await questions.selectOption('big-countries');
    await page.getByTestId('demo-syntax').waitFor();

    // On to the full correction: the question and wrong SQL are filled in.
    await questions.selectOption('garden-average-price');
    await page.getByTestId('demo-to-correct').click();
    const question = JSON.parse(
      readFileSync(`${inject('distDir')}/demo/questions.json`, 'utf8'),
    ).questions.find((q: { id: string }) => q.id === 'garden-average-price');
    expect(await page.getByTestId('question').inputValue()).toBe(question.question);
    await page.getByTestId('db-name').getByText('demo_shop.sqlite').waitFor();
    await page.getByTestId('open-demo').click();
    await page.getByTestId('demo-to-models').click();
    await page.getByTestId('model-manager').waitFor();

    // Everything came from under /demo/.
    expect(server.requests.every((p) => p.startsWith('/demo/'))).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  it('benchmark page: reports the missing adapter and exports a report', async () => {
    const { page } = browser;
    await page.getByTestId('open-bench').click();
    await page.getByTestId('bench-no-gpu').waitFor();
    await page.getByTestId('bench-run').click();
    await page
      .getByTestId('bench-error')
      .getByText(/No usable WebGPU adapter/)
      .waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('bench-export').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^share-benchmark-.*\.json$/);
    const report = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(report).toMatchObject({
      tool: 'share-web',
      kind: 'benchmark',
      schema: 1,
      webLlmVersion: '0.2.86',
      gpu: { available: false, adapter: null, hasShaderF16: false },
      models: [],
      corrections: { questions: 0, completed: 0, totalMs: null, items: [] },
    });
    expect(report.error).toMatch(/No usable WebGPU adapter/);
    expect(report.gpu.reason).toEqual(expect.any(String));
    expect(Date.parse(report.startedAt)).toBeLessThanOrEqual(Date.parse(report.finishedAt));
    expect(report.userAgent).toMatch(/Chrome/);
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);
});
