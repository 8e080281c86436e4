import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, SPIDER } from '../paths';
import { runCli } from '../support/cli';
import { startScriptedServer } from '../support/scripted-server';

interface DevItem {
  db_id: string;
  query: string;
  question: string;
}

const dev: DevItem[] = JSON.parse(readFileSync(join(SPIDER, 'dev.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'share-run-ex-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runAsync(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
    { cwd: ROOT },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('share run: before/after execution accuracy on real Spider databases', () => {
  it('scores the baseline and the corrected SQL with the dataset rules', async () => {
    const n = 24;
    // Baseline: the gold SQL for every third item, a wrong query for the others.
    const baseline = dev.slice(0, n).map((d, i) => (i % 3 === 0 ? d.query : 'SELECT 1'));
    const baselinePath = join(dir, 'baseline.txt');
    writeFileSync(baselinePath, baseline.map((q, i) => `${q}\t${dev[i]!.db_id}`).join('\n') + '\n');
    // The baseline generator's own token log, beside the baseline (as the reference reads it).
    writeFileSync(
      join(dir, 'baseline_token_usage.json'),
      JSON.stringify({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 }),
    );
    // A stand-in generator that writes the gold SQL of the question it is asked about.
    const goldOf = new Map<string, string>();
    for (const d of dev.slice(0, n)) if (!goldOf.has(d.question)) goldOf.set(d.question, d.query);
    // SHARE's models on one server, the generator on another (--base-url-generator).
    const server = await startScriptedServer(() => '```SR\ndf1 = df.select(x)\n```');
    const generator = await startScriptedServer((_model, messages) => {
      const question = /^question = "(.*)"$/m.exec(messages.at(-1)!.content)?.[1] ?? '';
      return '```sqlite\n' + (goldOf.get(question) ?? 'SELECT 0') + '\n```';
    });
    try {
      const out = join(dir, 'out');
      const r = await runAsync([
        'run',
        ...[
          '--dataset',
          SPIDER,
          '--format',
          'spider',
          '--baseline',
          baselinePath,
          '--base-url',
          server.baseUrl,
        ],
        ...['--model-bam', 'b', '--model-sam', 's', '--model-lom', 'l', '--model-generator', 'gen'],
        ...['--base-url-generator', generator.baseUrl],
        ...['--out', out, '--json', '--price-input', '0.5', '--price-output', '2'],
      ]);
      expect(r.stderr).not.toMatch(/unexpected/);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary.items).toBe(n);
      expect(server.requests).toHaveLength(4 * n);
      expect(generator.requests).toHaveLength(n);
      expect(new Set(generator.requests.map((q) => q.model))).toEqual(new Set(['gen']));
      // The same baseline scored by `share eval` (its other 538 items have no prediction).
      const ev = runCli([
        'eval',
        '--dataset',
        SPIDER,
        '--format',
        'spider',
        '--pred',
        baselinePath,
        '--json',
      ]);
      const evalReport = JSON.parse(ev.stdout);
      expect(summary.ex.before.correct).toBe(evalReport.correct);
      expect(summary.ex.before.total).toBe(n);
      expect(summary.ex.before.correct).toBeLessThan(n);
      expect(summary.ex.after).toMatchObject({ total: n, correct: n, ex: 100 });
      expect(summary.tokens).toEqual({ prompt: 50 * n, completion: 25 * n, total: 75 * n });
      expect(summary.cost.usd).toBeCloseTo((50 * n * 0.5 + 25 * n * 2) / 1e6, 12);
      const all = JSON.parse(readFileSync(join(out, 'all_token_usage.json'), 'utf8'));
      expect(all.per_step[0]).toEqual({
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        step: 'baseline_sql_gpt',
      });
      expect(all.grand_total).toEqual({
        prompt_tokens: 100 + 50 * n,
        output_tokens: 20 + 25 * n,
        total_tokens: 120 + 75 * n,
      });
      const finalSql = JSON.parse(readFileSync(join(out, 'final_sql.json'), 'utf8'));
      expect(finalSql['0']).toBe(`${dev[0]!.query}\t----- bird -----\t${dev[0]!.db_id}`);
    } finally {
      await server.close();
      await generator.close();
    }
  }, 120_000);

  it('--preset fast computes stages 1, 2 and 5 without a model where it can', async () => {
    const n = 12;
    const baselinePath = join(dir, 'fast-baseline.txt');
    writeFileSync(
      baselinePath,
      dev
        .slice(0, n)
        .map((d) => `${d.query}\t${d.db_id}`)
        .join('\n') + '\n',
    );
    const server = await startScriptedServer(() => '```SR\ndf1 = df.select(x)\n```');
    try {
      const out = join(dir, 'fast');
      const r = await runAsync([
        'run',
        ...[
          '--dataset',
          SPIDER,
          '--format',
          'spider',
          '--baseline',
          baselinePath,
          '--base-url',
          server.baseUrl,
        ],
        ...[
          '--model-bam',
          'b',
          '--model-sam',
          's',
          '--model-lom',
          'l',
          '--preset',
          'fast',
          '--out',
          out,
          '--json',
        ],
      ]);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout);
      const byStage = Object.fromEntries(
        summary.stages.map((s: { stage: string }) => [s.stage, s]),
      );
      // SQL → SR and masking ran here for (nearly) every item; SAM and LOM always on their models.
      expect(byStage.bam.deterministicItems + byStage.bam.requests).toBe(n);
      expect(byStage.bam.deterministicItems).toBeGreaterThan(n / 2);
      expect(byStage.sam).toMatchObject({ requests: n, deterministicItems: 0 });
      expect(byStage.lom).toMatchObject({ requests: n, deterministicItems: 0 });
      expect(byStage.generator.model).toBe('deterministic');
      expect(
        server.requests.map((q) => q.model).filter((m) => m === 's' || m === 'l'),
      ).toHaveLength(2 * n);
      expect(server.requests.length).toBe(byStage.bam.requests + byStage.mask.requests + 2 * n);
      expect(summary.ex.after.total).toBe(n);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('--preset fast sends SQL that SQLite rejects to the generator instead', async () => {
    // Two concert_singer items. LOM corrects the first into an average of a LAG(), which
    // compiles (every name exists) but SQLite refuses; the second into a plain select.
    const [first, second] = dev;
    const baselinePath = join(dir, 'rejected-baseline.txt');
    writeFileSync(
      baselinePath,
      `${first!.query}\t${first!.db_id}\n${second!.query}\t${second!.db_id}\n`,
    );
    const lom: Record<string, string> = {
      [first!.question]:
        'res = df.select(avg(singer.Age - lag(singer.Age, by = singer.Singer_ID)))',
      [second!.question]: 'res = df.select(singer.Name)',
    };
    const server = await startScriptedServer((model, messages) => {
      const question = /^question = "(.*)"$/m.exec(messages.at(-1)!.content)?.[1] ?? '';
      if (model === 'gen') return '```sqlite\nSELECT 7\n```';
      return `\`\`\`SR\n${model === 'l' ? lom[question] : 'df1 = df.select(x)'}\n\`\`\``;
    });
    try {
      const out = join(dir, 'fast-rejected');
      const r = await runAsync([
        'run',
        ...['--dataset', SPIDER, '--format', 'spider', '--baseline', baselinePath],
        ...['--base-url', server.baseUrl, '--model-bam', 'b', '--model-sam', 's'],
        ...['--model-lom', 'l', '--model-generator', 'gen', '--preset', 'fast', '--out', out],
      ]);
      expect(r.code, r.stderr).toBe(0);
      const finalSql = JSON.parse(readFileSync(join(out, 'final_sql.json'), 'utf8'));
      expect(finalSql['0']).toBe('SELECT 7\t----- bird -----\tconcert_singer');
      expect(finalSql['1']).toBe(
        'SELECT singer.Name FROM singer\t----- bird -----\tconcert_singer',
      );
      expect(server.requests.filter((q) => q.model === 'gen')).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 120_000);
});
