import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadReferenceDir } from '../../src/cli/reference-dir';
import { recordingOf } from '../../src/core/reference/conformance';
import { normalizeSetOrder } from '../../src/core/reference/normalize';
import { extractSr } from '../../src/core/share/extract';
import { stripBirdSuffix } from '../../src/core/share/item';
import { STAGES } from '../../src/core/share/stages';
import { SPIDER2SQLITE } from '../paths';
import { loadSqlJs } from '../support/sqljs';
import { axeViolations } from './support/axe';
import { launch, type TestBrowser } from './support/chromium';
import { sqliteFromTablesJson } from './support/db-from-tables-json';
import { type ReplayServer, startReplayServer } from './support/replay-server';
import { type StaticServer, serveStatic } from './support/static-server';

const IDX = 10; // WWE_spider2: 9 tables, a WITH query, all five stages recorded

// b) A full correction through the UI against a loopback OpenAI-compatible server that
// replays one recorded item: the four trajectories and the final SQL appear, and every
// prompt the server received equals the recorded one (modulo Python set order).
describe('browser: a full correction through an OpenAI-compatible endpoint', () => {
  let server: StaticServer;
  let replay: ReplayServer;
  let browser: TestBrowser;
  let dir: string;
  const ref = loadReferenceDir(SPIDER2SQLITE);
  const item = ref.items.find((i) => i.idx === IDX)!;
  const recording = recordingOf(ref);
  const answers = STAGES.map((s) => recording.get(s)!.get(IDX)!.response);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'share-web-b-'));
    const entry = ref.tables.find((t) => t.db_id === item.dbId)!;
    writeFileSync(join(dir, `${item.dbId}.sqlite`), sqliteFromTablesJson(await loadSqlJs(), entry));
    server = await serveStatic(inject('distDir'));
    replay = await startReplayServer(answers, { delayMs: 15 });
    browser = await launch({ webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
    await replay?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams the stages, shows the trajectories and final SQL, and sends the recorded prompts', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByTestId('db-file').setInputFiles(join(dir, `${item.dbId}.sqlite`));
    await page.getByTestId('db-name').waitFor();

    await page.getByTestId('engine-openai').check();
    await page.getByTestId('remote-warning').waitFor();
    expect(await page.getByTestId('remote-warning').textContent()).toMatch(
      /Schema, question, evidence and SQL will be sent to 127\.0\.0\.1/,
    );
    await page.getByTestId('endpoint-url').fill(replay.baseUrl);
    for (const role of ['bam', 'sam', 'lom', 'generator']) {
      await page.getByTestId(`endpoint-model-${role}`).fill(role);
    }
    // The recorded run had no column descriptions for this set: describe nothing from data.
    await page.getByTestId('use-profiles').uncheck();
    await page.getByTestId('question').fill(item.question);
    await page.getByTestId('evidence').fill(item.evidence);
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill(stripBirdSuffix(item.initialSql));
    // Not before the user confirms what leaves the browser.
    expect(await page.getByTestId('correct').isDisabled()).toBe(true);
    await page.getByTestId('endpoint-ack').check();

    // Everything the screen-reader live region says during the run.
    await page.evaluate(() => {
      const region = document.querySelector('[data-testid="announcer"]')!;
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      new MutationObserver(() => {
        const text = region.textContent ?? '';
        if (text && said.at(-1) !== text) said.push(text);
      }).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await page.getByTestId('question').press('Control+Enter');
    // Tokens stream into the running stage.
    await page.locator('[data-testid="stream-bam"]').waitFor();
    await page.getByTestId('final-sql').waitFor({ timeout: 30_000 });

    for (const stage of ['bam', 'mask', 'sam', 'lom'] as const) {
      const shown = await page.getByTestId(`extracted-${stage}`).textContent();
      expect(shown, stage).toBe(extractSr(recording.get(stage)!.get(IDX)!.response));
      expect(await page.getByTestId(`stage-${stage}`).getAttribute('data-status')).toBe('done');
    }
    expect(await page.getByTestId('final-sql').textContent()).toBe(ref.finalSql!.get(IDX));
    // The change from the initial SQL reads as the corrected SQL in its own layout, with what
    // was removed struck through in between.
    const diff = page.getByTestId('final-diff');
    expect(await diff.locator('del').count()).toBeGreaterThan(0);
    expect(
      await diff.evaluate((pre) => {
        const copy = pre.cloneNode(true) as HTMLElement;
        for (const e of copy.querySelectorAll('del, .sep')) e.remove();
        return copy.textContent;
      }),
    ).toBe(ref.finalSql!.get(IDX));
    expect(await page.getByTestId('diff-lom').locator('del').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('touched-lom').textContent()).toContain('Matches.title_id');
    await page
      .getByTestId('rows-final')
      .getByText(/0 rows/)
      .waitFor();
    // A screen reader hears each stage start and how the run ended, tokens aside.
    expect(await page.evaluate(() => (window as unknown as { said: string[] }).said)).toEqual([
      'Stage 1 of 5: SQL → action trajectory (BAM).',
      'Stage 2 of 5: Mask schema (BAM).',
      'Stage 3 of 5: Fill schema (SAM).',
      'Stage 4 of 5: Fix logic (LOM).',
      'Stage 5 of 5: Trajectory → SQL (generator).',
      'Correction finished: the corrected SQL is ready. It returns no rows.',
    ]);
    // Trajectories, diffs, stage records and rows: nothing for axe to report.
    expect(await axeViolations(page)).toEqual([]);

    expect(replay.received.map((r) => r.model)).toEqual(['bam', 'bam', 'sam', 'lom', 'generator']);
    STAGES.forEach((stage, i) => {
      const sent = replay.received[i]!.messages.at(-1)!.content;
      const recorded = ref.stages.get(stage)!.get(IDX)!.prompt;
      expect(normalizeSetOrder(sent), stage).toBe(normalizeSetOrder(recorded));
    });
    expect(replay.received[0]!.body.temperature).toBe(0);

    // Copy puts the corrected SQL on the clipboard; Export JSON holds the whole correction.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(server.url).origin,
    });
    await page.getByTestId('copy-sql').click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ref.finalSql!.get(IDX));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-json').click(),
    ]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exported.stages.map((r: { stage: string }) => r.stage)).toEqual([...STAGES]);
    expect(exported.stages[0].prompt).toBe(replay.received[0]!.messages.at(-1)!.content);
    expect(exported.finalSql).toBe(ref.finalSql!.get(IDX));
    expect(exported.inputs.question).toBe(item.question);
    // Nothing went anywhere but the app's own origin and the endpoint the user configured.
    const origins = new Set(browser.requests.map((u) => new URL(u).origin));
    origins.delete('null'); // data: and blob: URLs
    expect([...origins].sort()).toEqual(
      [new URL(server.url).origin, new URL(replay.baseUrl).origin].sort(),
    );
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  it('runs the fast preset: stages 1-2 without a model, the generator only as fallback', async () => {
    const { page } = browser;
    const before = replay.received.length;
    replay.answers = [answers[2]!, answers[3]!, answers[4]!];
    replay.delayMs = 0;
    await page.getByTestId('preset-fast').check();
    await page.getByTestId('correct').click();
    await page
      .locator('[data-testid="stage-lom"][data-status="done"]')
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('correct').and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
    const models = replay.received.slice(before).map((r) => r.model);
    // Stages 1 and 2 ran without a model; this item's SQL reads two copies of Wrestlers (winner
    // and loser), which SR names alike, so stage 5 fell back to the model.
    expect(models).toEqual(['sam', 'lom', 'generator']);
    expect(await page.getByTestId('notes').textContent()).toMatch(
      /generator: deterministic stage not possible.*ran the model instead/,
    );
    expect(await page.getByTestId('final-sql').textContent()).toBe(ref.finalSql!.get(IDX));
    expect(await page.getByTestId('stage-bam').textContent()).toContain('deterministic');
    expect(await page.getByTestId('extracted-bam').textContent()).toMatch(/Matches\.duration/);
    expect(await page.getByTestId('tokens-saved').textContent()).toMatch(/saved about \d/);
    expect(await page.getByTestId('announcer').textContent()).toBe(
      'Correction finished: the corrected SQL is ready. It returns no rows.',
    );
    // With no generator model, stage 5 has nothing to fall back to: no SQL, and the reason.
    await page.getByTestId('endpoint-model-generator').fill('');
    const again = replay.received.length;
    replay.answers = [answers[2]!, answers[3]!];
    await page.getByTestId('correct').click();
    await page.getByTestId('no-final-sql').waitFor({ timeout: 30_000 });
    expect(replay.received.slice(again).map((r) => r.model)).toEqual(['sam', 'lom']);
    expect(await page.getByTestId('no-final-sql').textContent()).toMatch(
      /^No corrected SQL: the corrected trajectory is not compiled to SQL \(its trajectory only approximates the SQL's 2 copies of Wrestlers \(ww, wl\), both named Wrestlers, .*\)\. The corrected trajectory \(LOM\) above is the feedback/,
    );
    expect(await page.getByTestId('final-sql').count()).toBe(0);
    expect(await page.getByTestId('announcer').textContent()).toBe(
      'Correction finished without corrected SQL; see the result.',
    );
    // SQL compiled from a correction is put to SQLite on the open database before it is
    // shown: an average of a LAG() compiles but SQLite refuses it, so no SQL and the reason.
    await page
      .locator('[data-testid="sql-input"][data-ready="true"] .cm-content')
      .fill('SELECT duration FROM Matches WHERE title_change = 0');
    const read = 'df1 = df.where(element = Matches.title_change, filter = 0)\n';
    replay.answers = [
      `\`\`\`SR\n${read}res = df1.select(Matches.duration)\n\`\`\``,
      `\`\`\`SR\n${read}res = df1.select(avg(Matches.duration - lag(Matches.duration, by = Matches.id)))\n\`\`\``,
    ];
    await page.getByTestId('correct').click();
    await page.getByTestId('no-final-sql').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('no-final-sql').textContent()).toMatch(
      /^No corrected SQL: the corrected trajectory is not compiled to SQL \(SQLite rejects the SQL it compiles to: misuse of window function LAG\(\)\)\./,
    );
    await page.getByTestId('endpoint-model-generator').fill('generator');
    await page.getByTestId('preset-faithful').check();
    expect(browser.pageErrors).toEqual([]);
  }, 40_000);

  it('cancels a running correction with the Cancel button', async () => {
    const { page } = browser;
    replay.answers = [...answers];
    replay.delayMs = 400;
    await page.getByTestId('correct').click();
    await page.locator('[data-testid="stage-bam"][data-status="running"]').waitFor();
    await page.getByTestId('cancel').click();
    await page
      .getByTestId('correction-error')
      .getByText(/Cancelled during stage bam/)
      .waitFor();
    expect(await page.getByTestId('correct').isEnabled()).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);
});
