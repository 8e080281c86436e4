import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyJsonDumps } from '../../src/core/batch/py-json';
import { normalizeSetOrder, sameMultiset } from '../../src/core/reference/normalize';
import { STAGE_FILES } from '../../src/core/reference/reference-set';
import { STAGES, type StageName } from '../../src/core/share/stages';
import { ROOT, SPIDER2SQLITE } from '../paths';
import { type ReplayServer, startReplayServer } from '../support/replay-server';

const MODELS = { bam: 'share-bam', sam: 'share-sam', lom: 'share-lom', generator: 'gen-replay' };
const ITEMS = 135;

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The length of the server's log once no request has arrived for 300 ms. */
async function settledLog(server: ReplayServer): Promise<number> {
  for (;;) {
    const n = server.log.length;
    await new Promise((r) => setTimeout(r, 300));
    if (server.log.length === n) return n;
  }
}

function startRun(server: ReplayServer, out: string, extra: string[] = []): Run {
  // `node --import tsx` (not tsx's CLI, which runs the program in a child process) so a
  // kill reaches the process doing the work.
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'src/cli/main.ts'),
    'run',
    '--dataset',
    SPIDER2SQLITE,
    '--format',
    'spider',
    '--baseline',
    join(SPIDER2SQLITE, 'baseline_sql.json'),
    '--base-url',
    server.baseUrl,
    '--model-bam',
    MODELS.bam,
    '--model-sam',
    MODELS.sam,
    '--model-lom',
    MODELS.lom,
    '--model-generator',
    MODELS.generator,
    '--out',
    out,
    '--concurrency',
    '3',
    '--final-sql-key',
    'question_id',
    '--json',
    ...extra,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

const recorded = (file: string): string => readFileSync(join(SPIDER2SQLITE, file), 'utf8');

/** A stage file with each prompt's Python-set-ordered parts put in canonical order. */
function normalizedLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const row = JSON.parse(line) as { idx: number; prompt: string; response?: string };
      return pyJsonDumps({ ...row, prompt: normalizeSetOrder(row.prompt) });
    });
}

let server: ReplayServer;
let dir: string;

beforeAll(async () => {
  // A small delay per request so the first run can be stopped part-way through a stage.
  server = await startReplayServer({ reference: SPIDER2SQLITE, models: MODELS, delayMs: 4 });
  dir = mkdtempSync(join(tmpdir(), 'share-run-'));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('share run against a loopback replay server (spider2sqlite recordings)', () => {
  const out = () => join(dir, 'out');
  let killedAt = 0;
  const finishedBefore = new Map<StageName, Set<number>>();
  let resumed: Awaited<Run['done']>;

  it('is killed part-way, then --resume finishes without asking again for finished items', async () => {
    const first = startRun(server, out());
    // Stop it hard once it is well into stage 2 (135 stage-1 answers, then some masking).
    const deadline = Date.now() + 60_000;
    while (
      server.log.filter((e) => e.status === 200).length < ITEMS + 40 &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    await first.done;
    // Requests the run sent just before it died still reach the server (and its log) after
    // that: count them once nothing has arrived for a while.
    killedAt = await settledLog(server);
    expect(killedAt).toBeLessThan(ITEMS * 5);
    for (const stage of STAGES) {
      const path = join(out(), '.share-run', `${stage}.jsonl`);
      const idxs = existsSync(path)
        ? readFileSync(path, 'utf8')
            .split('\n')
            .filter((l) => l.trim())
            .flatMap((l) => {
              try {
                return [(JSON.parse(l) as { idx: number }).idx];
              } catch {
                return [];
              }
            })
        : [];
      finishedBefore.set(stage, new Set(idxs));
    }
    expect(finishedBefore.get('bam')!.size).toBe(ITEMS);
    expect(finishedBefore.get('mask')!.size).toBeGreaterThan(0);
    expect(finishedBefore.get('mask')!.size).toBeLessThan(ITEMS);

    // Without --resume the folder is refused.
    const refused = await startRun(server, out()).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pass --resume/);
    expect(server.log.length).toBe(killedAt);

    resumed = await startRun(server, out(), ['--resume']).done;
    expect(resumed.stderr).not.toMatch(/unexpected/);
    expect(resumed.code).toBe(0);
    const after = server.log.slice(killedAt);
    expect(after.every((e) => e.status === 200)).toBe(true);
    for (const e of after) {
      // Items sharing a prompt share a request: at least one of them was unfinished.
      const unfinished = e.idxs!.some((idx) => !finishedBefore.get(e.stage!)!.has(idx));
      expect(unfinished, `re-requested ${e.stage} for items ${e.idxs}`).toBe(true);
    }
    expect(after.filter((e) => e.stage === 'bam')).toEqual([]);
    const stillToDo = STAGES.reduce((n, s) => n + ITEMS - finishedBefore.get(s)!.size, 0);
    expect(after.length).toBeLessThanOrEqual(stillToDo);
  }, 120_000);

  it('writes the recorded files (prompts modulo Python set order)', () => {
    for (const stage of ['bam', 'mask', 'sam', 'lom', 'generator'] as const) {
      const file = STAGE_FILES[stage];
      const ours = readFileSync(join(out(), file), 'utf8');
      expect(normalizedLines(ours), file).toEqual(normalizedLines(recorded(file)));
    }
    // Masking prompts hold no set-ordered text: the whole file is byte-identical.
    expect(readFileSync(join(out(), STAGE_FILES.mask), 'utf8')).toBe(recorded(STAGE_FILES.mask));
    expect(readFileSync(join(out(), 'final_sql.json'), 'utf8')).toBe(recorded('final_sql.json'));
    const ourAug = JSON.parse(readFileSync(join(out(), 'augmented_schema.json'), 'utf8'));
    const recAug = JSON.parse(recorded('augmented_schema.json'));
    expect(Object.keys(ourAug)).toEqual(Object.keys(recAug));
    for (const k of Object.keys(recAug))
      expect(sameMultiset(ourAug[k], recAug[k]), `augmented ${k}`).toBe(true);
  });

  it('accounts tokens: per-stage totals are the sums of what the server reported per item', () => {
    const all = JSON.parse(readFileSync(join(out(), 'all_token_usage.json'), 'utf8'));
    const steps = [
      'bam_sql2traj',
      'bam_mask_traj',
      'sam_schema_augment',
      'lom_modify_traj',
      'final_sql_gpt',
    ];
    expect(all.per_step.map((s: { step: string }) => s.step)).toEqual(steps);
    STAGES.forEach((stage, i) => {
      let p = 0;
      let c = 0;
      for (let idx = 0; idx < ITEMS; idx++) {
        const u = server.usageOf(stage, idx)!;
        p += u.promptTokens;
        c += u.completionTokens;
      }
      const step = all.per_step[i];
      expect(step.prompt_tokens, stage).toBe(p);
      expect((step.output_tokens ?? step.completion_tokens) as number, stage).toBe(c);
      expect(step.total_tokens).toBe(p + c);
    });
    const sum = (k: string) =>
      all.per_step.reduce((n: number, s: Record<string, number>) => n + (s[k] ?? 0), 0);
    expect(all.grand_total.prompt_tokens).toBe(sum('prompt_tokens'));
    expect(all.grand_total.total_tokens).toBe(sum('total_tokens'));

    const gen = JSON.parse(readFileSync(join(out(), 'token_usage.json'), 'utf8'));
    expect(gen.per_entry).toHaveLength(ITEMS);
    for (const e of gen.per_entry) {
      expect(e.token_usage.prompt_tokens).toBe(server.usageOf('generator', e.idx)!.promptTokens);
    }
    expect(gen.summary.prompt_tokens).toBe(
      gen.per_entry.reduce(
        (n: number, e: { token_usage: { prompt_tokens: number } }) =>
          n + e.token_usage.prompt_tokens,
        0,
      ),
    );

    const summary = JSON.parse(resumed.stdout);
    expect(summary.items).toBe(ITEMS);
    expect(summary.tokens.total).toBe(all.grand_total.total_tokens);
    expect(summary.exNote).toMatch(/EX skipped: 135 of 135 items have no database file/);
    const html = readFileSync(join(out(), 'report.html'), 'utf8');
    expect(html).toContain('new Chart(');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it("continues the reference pipeline's own output folder with --resume", async () => {
    const ref = join(dir, 'reference-run');
    mkdirSync(ref);
    for (const stage of ['bam', 'mask'] as const)
      copyFileSync(join(SPIDER2SQLITE, STAGE_FILES[stage]), join(ref, STAGE_FILES[stage]));
    const from = server.log.length;
    const r = await startRun(server, ref, ['--resume']).done;
    expect(r.code).toBe(0);
    const asked = server.log.slice(from);
    expect(new Set(asked.map((e) => e.stage))).toEqual(new Set(['sam', 'lom', 'generator']));
    expect(asked).toHaveLength(3 * ITEMS);
    expect(readFileSync(join(ref, 'final_sql.json'), 'utf8')).toBe(recorded('final_sql.json'));
  }, 120_000);
});
