import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHINOOK } from '../paths';
import { axeViolations } from './support/axe';
import { launch, type TestBrowser } from './support/chromium';
import { type StaticServer, serveStatic } from './support/static-server';

/** What has the keyboard focus: tag, test id and accessible text, to compare in assertions. */
function focused(page: TestBrowser['page']) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      testid: el?.dataset.testid ?? '',
      text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      expanded: el?.getAttribute('aria-expanded') ?? null,
    };
  });
}

// Every view of the app, in the states a session goes through, has nothing axe-core
// (WCAG 2.x A/AA and best practices) reports; and a whole correction can be done with the
// keyboard alone, with the schema list one tab stop however many tables it has.
describe('browser: accessibility', () => {
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

  it('has no axe violations in any view', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.locator('.cm-placeholder').waitFor();
    expect(await axeViolations(page), 'start').toEqual([]);

    await page.getByTestId('db-file').setInputFiles(CHINOOK);
    await page.getByTestId('db-name').waitFor();
    await page.getByRole('button', { name: /Artist/ }).click();
    const editor = page.locator('[data-testid="sql-input"][data-ready="true"] .cm-content');
    await editor.fill('SELECT a.Nme FROM Artist a');
    await page.getByTestId('sql-fix').waitFor();
    expect(await axeViolations(page), 'schema problems').toEqual([]);

    // Long SQL (the editor scrolls) and a run whose rows scroll.
    const columns = Array.from({ length: 40 }, (_, i) => `TrackId AS c${i}`).join(',\n  ');
    await editor.fill(`SELECT\n  ${columns}\nFROM Track`);
    await page.getByTestId('question').press('Control+Enter');
    await page.getByTestId('rows-initial').locator('table').waitFor();
    expect(await axeViolations(page), 'after a run').toEqual([]);

    await page.getByTestId('console-sql').fill('SELECT nope FROM Artist');
    await page.getByTestId('console-run').click();
    await page.getByTestId('console-rows-error').waitFor();
    expect(await axeViolations(page), 'query error').toEqual([]);

    await page.getByTestId('open-models').click();
    await page.getByTestId('model-load').first().waitFor();
    expect(await axeViolations(page), 'models').toEqual([]);

    await page.getByTestId('open-demo').click();
    await page.locator('[data-testid="demo-view"][data-status="ready"]').waitFor();
    await page.getByTestId('demo-question').selectOption({ index: 1 });
    await page.getByTestId('demo-rows-correct').locator('table').waitFor();
    expect(await axeViolations(page), 'demo').toEqual([]);

    await page.getByTestId('open-bench').click();
    await page.getByTestId('bench-page').waitFor();
    expect(await axeViolations(page), 'benchmark').toEqual([]);
    await page.getByTestId('bench-run').click();
    await page.getByTestId('bench-gpu').waitFor();
    expect(await axeViolations(page), 'benchmark report').toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  it('corrects with the keyboard alone', async () => {
    // A profile of its own: no database restored from an earlier test.
    const own = await launch({ webgpu: false, extraFlags: ['--disable-webgpu'] });
    const fresh = own.page;
    try {
      await fresh.goto(server.url);
      await fresh.locator('[data-testid="sql-input"][data-ready="true"]').waitFor();
      // The first Tab offers the way past the side panels.
      await fresh.keyboard.press('Tab');
      expect(await focused(fresh)).toMatchObject({ testid: 'skip-to-question' });

      const tabUntil = async (text: string, key = 'Tab') => {
        for (let i = 0; i < 30; i++) {
          if ((await focused(fresh)).text.includes(text)) return;
          await fresh.keyboard.press(key);
        }
        throw new Error(`${key} never reached "${text}"`);
      };
      await tabUntil('Demo database');
      await fresh.keyboard.press('Enter');
      await fresh.getByTestId('db-name').waitFor();

      // The schema list is one tab stop; arrows move in it and open a table.
      await tabUntil('Search tables and columns');
      await fresh.keyboard.press('ArrowDown');
      const first = await focused(fresh);
      expect(first.text).toMatch(/^▸ \w+ \(\d+\)$/);
      await fresh.keyboard.press('Tab');
      expect((await focused(fresh)).text).not.toMatch(/^▸ /);
      await fresh.keyboard.press('Shift+Tab');
      expect(await focused(fresh)).toEqual(first);
      await fresh.keyboard.press('ArrowDown');
      const second = await focused(fresh);
      expect(second.text).not.toBe(first.text);
      await fresh.keyboard.press('ArrowRight');
      expect(await focused(fresh)).toMatchObject({ expanded: 'true' });
      await fresh.keyboard.press('End');
      await fresh.keyboard.press('Home');
      expect((await focused(fresh)).text).toBe(first.text);
      // Leaving and coming back lands on the table last focused.
      await fresh.keyboard.press('ArrowDown');
      await fresh.keyboard.press('Shift+Tab');
      await fresh.keyboard.press('Tab');
      expect((await focused(fresh)).text).toBe(second.text.replace('▸', '▾'));

      await tabUntil('Skip to the question', 'Shift+Tab');
      await fresh.keyboard.press('Enter');
      expect(await focused(fresh)).toMatchObject({ testid: 'question' });
      await fresh.keyboard.type('How many customers are there?');
      await fresh.keyboard.press('Tab');
      expect(await focused(fresh)).toMatchObject({ testid: 'evidence' });
      await fresh.keyboard.press('Tab');
      expect(await focused(fresh)).toMatchObject({ text: 'SQL to correct' });
      await fresh.keyboard.type('SELECT COUNT(*) FROM customers');
      await fresh.keyboard.press('Control+Enter');
      await fresh.getByTestId('rows-initial').locator('table').waitFor();
      expect(await fresh.getByTestId('question').inputValue()).toBe(
        'How many customers are there?',
      );
      expect(own.pageErrors).toEqual([]);
    } finally {
      await own.close();
    }
  }, 60_000);
});
