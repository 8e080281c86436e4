import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseBaseline } from '../../core/batch/baseline';
import { BatchError, type DeterministicStages, runBatch } from '../../core/batch/batch-run';
import { type PyJson, pyJsonDumps } from '../../core/batch/py-json';
import { type RunSummary, summarizeStage } from '../../core/batch/summary';
import { allTokenUsageJson, tokenUsageJson } from '../../core/batch/token-usage';
import type { ChatEngine } from '../../core/engine/chat-engine';
import { OpenAiHttpEngine } from '../../core/engine/openai-http';
import { DatasetError, type DatasetItem } from '../../core/eval/dataset';
import { evaluate } from '../../core/eval/evaluate';
import { birdPredictionSql } from '../../core/eval/predictions';
import { STAGE_FILES } from '../../core/reference/reference-set';
import { type ColumnMeanings, parseColumnMeanings } from '../../core/schema/column-meaning';
import { SchemaError } from '../../core/schema/errors';
import { schemaForDb, type TablesJsonEntry } from '../../core/schema/from-tables-json';
import { type ShareItem, stripBirdSuffix, withBirdSuffix } from '../../core/share/item';
import { STAGE_ROLE, STAGES, type StageName } from '../../core/share/stages';
import {
  checkedBySqlite,
  type DeterministicOutcome,
  deterministicFinalSql,
  deterministicMask,
  deterministicSqlToSr,
} from '../../core/sr/deterministic-stages';
import { integer, type OptionSpec, parseOptions, required } from '../args';
import { CliError } from '../cli-error';
import type { Command } from '../commands';
import { DATASET_OPTIONS, datasetFormat, loadDatasetDir } from '../dataset-dir';
import { htmlReport } from '../html-report';
import { ProgressBar } from '../progress';
import {
  CHECKPOINT_DIR,
  FileCheckpoint,
  writeAtomic,
  writePyJson,
  writeStageFile,
} from '../run-files';
import { SchemaCheck } from '../schema-check';
import { WorkerSqlRunner } from '../worker-sql-runner';

const OPTIONS = {
  ...DATASET_OPTIONS,
  baseline: {
    type: 'string',
    arg: 'FILE',
    required: true,
    help: 'the SQL to correct: BIRD JSON keyed by item index (kept raw, suffix and all) or one SQL per line',
  },
  'base-url': {
    type: 'string',
    arg: 'URL',
    help: 'the OpenAI-compatible server of every model, e.g. http://127.0.0.1:8000/v1',
  },
  'base-url-bam': {
    type: 'string',
    arg: 'URL',
    help: 'the server of BAM, instead of --base-url',
  },
  'base-url-sam': {
    type: 'string',
    arg: 'URL',
    help: 'the server of SAM, instead of --base-url',
  },
  'base-url-lom': {
    type: 'string',
    arg: 'URL',
    help: 'the server of LOM, instead of --base-url',
  },
  'base-url-generator': {
    type: 'string',
    arg: 'URL',
    help: 'the server of the generator, instead of --base-url',
  },
  'api-key': {
    type: 'string',
    arg: 'KEY',
    help: 'bearer token for the servers (default $OPENAI_API_KEY)',
  },
  'model-bam': { type: 'string', arg: 'ID', required: true, help: 'the served model id of BAM' },
  'model-sam': { type: 'string', arg: 'ID', required: true, help: 'the served model id of SAM' },
  'model-lom': { type: 'string', arg: 'ID', required: true, help: 'the served model id of LOM' },
  'model-generator': {
    type: 'string',
    arg: 'ID',
    help: "the model that writes the final SQL; without it the run stops after writing stage 5's prompts",
  },
  out: {
    type: 'string',
    arg: 'DIR',
    required: true,
    help: 'where the stage files, checkpoints, share_report.json and report.html go',
  },
  concurrency: { type: 'string', arg: 'N', help: 'requests in flight (default 8)' },
  resume: {
    type: 'boolean',
    help: "continue a stopped run in --out from its checkpoints (or from the reference pipeline's stage files)",
  },
  preset: {
    type: 'string',
    arg: 'faithful|fast',
    help: 'faithful (default): the reference protocol; fast: stages 1, 2 and 5 without a model where possible',
  },
  limit: { type: 'string', arg: 'N', help: 'only the first N items' },
  'column-meaning': {
    type: 'string',
    arg: 'FILE',
    help: 'column meanings JSON (default DIR/column_meaning.json when present)',
  },
  'final-sql-key': {
    type: 'string',
    arg: 'idx|question_id',
    help: 'the keys of final_sql.json (default idx)',
  },
  'generator-max-tokens': {
    type: 'string',
    arg: 'N',
    help: "the most tokens of the generator's answer (default 1024)",
  },
  'price-input': {
    type: 'string',
    arg: 'USD',
    help: 'price per million input tokens, for the report',
  },
  'price-output': {
    type: 'string',
    arg: 'USD',
    help: 'price per million output tokens, for the report',
  },
  'timeout-ms': {
    type: 'string',
    arg: 'MS',
    help: 'time limit per item when scoring EX before and after (default 30000 BIRD, 60000 Spider)',
  },
  'request-timeout-s': {
    type: 'string',
    arg: 'S',
    help: 'time limit of one request (default 600)',
  },
  retries: {
    type: 'string',
    arg: 'N',
    help: 'retries of a request the server failed, waiting twice as long each time from 1 s (default 3)',
  },
  json: { type: 'boolean', help: 'print the run summary (as share_report.json) on stdout' },
} as const satisfies OptionSpec;

const output = (o: DeterministicOutcome): string | undefined => (o.ok ? o.output : undefined);

/**
 * The deterministic stages of the "fast" preset (as the pipeline's FAST_OPTIONS). Stage 5's
 * SQL is put to SQLite on the item's schema first; SQL it rejects goes to the generator.
 */
const fastStages = (schemaCheck: SchemaCheck): DeterministicStages => ({
  bam: async (item, schema) =>
    output(await deterministicSqlToSr(stripBirdSuffix(item.initialSql), schema)),
  mask: async (_item, schema, sr) => output(deterministicMask(sr, schema)),
  generator: async (item, schema, sr, stage1Sr) =>
    output(
      await checkedBySqlite(
        await deterministicFinalSql(sr, stage1Sr, stripBirdSuffix(item.initialSql), schema),
        (sql) => schemaCheck.check(item.dbId, sql),
      ),
    ),
});

/** What must not change between a run and its `--resume`. */
interface RunConfig {
  dataset: string;
  format: string;
  baseline: string;
  models: { bam: string; sam: string; lom: string; generator?: string };
  preset: string;
  limit?: number;
  finalSqlKey: string;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`run: cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}

function price(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new CliError(`run: --${flag} must be a price per million tokens, got "${value}"`);
  return n;
}

export const runCommand: Command = {
  summary: 'SHARE over a whole dataset against an OpenAI-compatible server (vLLM), stage by stage',
  options: OPTIONS,
  async run(args) {
    const opts = parseOptions(args, OPTIONS, 'run');
    const format = datasetFormat(opts.format, 'run');
    const dataset = loadDatasetDir(required(opts.dataset, 'dataset', 'run'), format, 'run');
    const baselinePath = resolve(required(opts.baseline, 'baseline', 'run'));
    const out = resolve(required(opts.out, 'out', 'run'));
    const preset = opts.preset ?? 'faithful';
    if (preset !== 'faithful' && preset !== 'fast')
      throw new CliError(`run: --preset must be faithful or fast, got "${preset}"`);
    const finalSqlKey = opts['final-sql-key'] ?? 'idx';
    if (finalSqlKey !== 'idx' && finalSqlKey !== 'question_id') {
      throw new CliError(`run: --final-sql-key must be idx or question_id, got "${finalSqlKey}"`);
    }
    const models = {
      bam: required(opts['model-bam'], 'model-bam', 'run'),
      sam: required(opts['model-sam'], 'model-sam', 'run'),
      lom: required(opts['model-lom'], 'model-lom', 'run'),
      ...(opts['model-generator'] ? { generator: opts['model-generator'] } : {}),
    };
    const roleUrls = {
      bam: opts['base-url-bam'] ?? opts['base-url'],
      sam: opts['base-url-sam'] ?? opts['base-url'],
      lom: opts['base-url-lom'] ?? opts['base-url'],
      generator: opts['base-url-generator'] ?? opts['base-url'],
    };
    for (const [role, url] of Object.entries(roleUrls)) {
      if (!url && (role !== 'generator' || models.generator)) {
        throw new CliError(`run: --base-url (or --base-url-${role}) is required`);
      }
    }
    const limit = opts.limit === undefined ? undefined : integer(opts.limit, 'limit', 'run');
    const concurrency = Math.max(1, integer(opts.concurrency, 'concurrency', 'run', 8));
    const priceIn = price(opts['price-input'], 'price-input');
    const priceOut = price(opts['price-output'], 'price-output');

    let baseline: Map<number, string>;
    try {
      baseline = parseBaseline(readText(baselinePath, 'baseline'), baselinePath);
    } catch (error) {
      if (error instanceof DatasetError) throw new CliError(`run: ${error.message}`);
      throw error;
    }
    let datasetItems = dataset.items.filter((i) => baseline.has(i.idx));
    if (limit !== undefined) datasetItems = datasetItems.slice(0, limit);
    if (datasetItems.length === 0) throw new CliError('run: no dataset item has a baseline SQL');
    const items: ShareItem[] = datasetItems.map((d) => ({
      idx: d.idx,
      dbId: d.dbId,
      question: d.question,
      evidence: d.evidence,
      initialSql: baseline.get(d.idx)!,
    }));

    let tables: TablesJsonEntry[];
    try {
      tables = JSON.parse(dataset.tablesText) as TablesJsonEntry[];
    } catch (error) {
      throw new CliError(`run: the tables file is not valid JSON: ${(error as Error).message}`);
    }
    for (const dbId of new Set(items.map((i) => i.dbId))) {
      try {
        schemaForDb(tables, dbId);
      } catch (error) {
        if (error instanceof SchemaError) throw new CliError(`run: ${error.message}`);
        throw error;
      }
    }
    const meaningPath = opts['column-meaning'] ?? join(dataset.dir, 'column_meaning.json');
    let columnMeanings: ColumnMeanings = new Map();
    if (opts['column-meaning'] !== undefined || existsSync(meaningPath)) {
      try {
        columnMeanings = parseColumnMeanings(readText(meaningPath, 'column meanings'));
      } catch (error) {
        if (error instanceof SchemaError) throw new CliError(`run: ${error.message}`);
        throw error;
      }
    }

    // A run folder belongs to one configuration; --resume continues it, nothing else may.
    const config: RunConfig = {
      dataset: dataset.dir,
      format,
      baseline: baselinePath,
      models,
      preset,
      limit,
      finalSqlKey,
    };
    const configPath = join(out, 'run_config.json');
    if (existsSync(out) && readdirSync(out).length > 0) {
      if (!opts.resume)
        throw new CliError(`run: ${out} already holds files; pass --resume to continue that run`);
      if (existsSync(configPath)) {
        const before = readText(configPath, 'run configuration');
        if (before.trim() !== JSON.stringify(config, null, 2)) {
          throw new CliError(
            `run: ${out} holds a run with other settings (see run_config.json); use another --out`,
          );
        }
      }
    }
    mkdirSync(out, { recursive: true });
    writeAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);

    const checkpoint = new FileCheckpoint(out);
    const apiKey = opts['api-key'] ?? process.env.OPENAI_API_KEY;
    const requestTimeoutMs =
      opts['request-timeout-s'] === undefined
        ? undefined
        : 1000 * integer(opts['request-timeout-s'], 'request-timeout-s', 'run');
    const engines = new Map<string, OpenAiHttpEngine>();
    const engineFor = (url: string): OpenAiHttpEngine => {
      let e = engines.get(url);
      if (!e) {
        e = new OpenAiHttpEngine({
          baseUrl: url,
          apiKey,
          ...(requestTimeoutMs ? { timeouts: { totalMs: requestTimeoutMs } } : {}),
        });
        engines.set(url, e);
      }
      return e;
    };
    // One server per role when the models live on different servers (one vLLM per model).
    const engine: ChatEngine = {
      chat: (request) => {
        const role = STAGE_ROLE[(request.meta?.stage ?? 'bam') as StageName] ?? 'bam';
        return engineFor(roleUrls[role]!).chat(request);
      },
    };
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const byIdx = new Map(datasetItems.map((d) => [d.idx, d]));
    const wrote = new Set<string>();
    let bar: ProgressBar | undefined;
    let outcome: Awaited<ReturnType<typeof runBatch>>;
    const schemaCheck = new SchemaCheck(tables);
    try {
      outcome = await runBatch(items, {
        engine,
        models,
        schemaFor: (dbId) => schemaForDb(tables, dbId),
        columnMeanings,
        checkpoint,
        concurrency,
        signal: controller.signal,
        engineRetries: integer(opts.retries, 'retries', 'run', 3),
        generatorMaxTokens:
          opts['generator-max-tokens'] === undefined
            ? undefined
            : integer(opts['generator-max-tokens'], 'generator-max-tokens', 'run'),
        // The pipeline's "fast" preset: stages 1, 2 and 5 without a model where they can be
        // computed (SQL → SR, exact masking, SR → SQL), the model otherwise.
        deterministic: preset === 'fast' ? fastStages(schemaCheck) : undefined,
        onStageStart: (stage, total, already) => {
          bar = new ProgressBar(`run ${stage.padEnd(9)}`);
          if (already > 0)
            process.stderr.write(
              `run: ${stage}: ${already}/${total} items done before, resuming\n`,
            );
          bar.update(already, total);
        },
        onItemDone: (_stage, done, total) => bar?.update(done, total),
        onStageDone: (stage, results) => {
          bar?.finish();
          if (stage === 'generator') return;
          writeStageFile(out, stage, results);
          wrote.add(STAGE_FILES[stage]);
        },
        onAugmented: (augmented) => {
          writePyJson(
            out,
            'augmented_schema.json',
            Object.fromEntries(
              [...augmented].map(([idx, cols]) => [String(idx), cols.map(([t, c]) => `${t}.${c}`)]),
            ),
            4,
          );
          wrote.add('augmented_schema.json');
        },
        onGeneratorPrompts: (prompts) => {
          // `save_jsonl` of `{'idx': idx, 'prompt': prompt}` (no response: stage 5 runs elsewhere).
          const text = [...prompts]
            .map(([idx, prompt]) => `${pyJsonDumps({ idx, prompt })}\n`)
            .join('');
          writeAtomic(join(out, STAGE_FILES.generator), text);
          wrote.add(STAGE_FILES.generator);
        },
      });
    } catch (error) {
      bar?.finish();
      if (error instanceof BatchError) {
        const saved = `finished items are saved in ${join(out, CHECKPOINT_DIR)}; rerun with --resume to continue`;
        throw new CliError(
          error.cancelled ? `run: stopped; ${saved}` : `run: ${error.message}; ${saved}`,
          1,
        );
      }
      throw error;
    } finally {
      schemaCheck.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }

    if (outcome.finalSql) {
      const finalSql: Record<string, string> = {};
      for (const item of items) {
        const d = byIdx.get(item.idx)!;
        const key =
          finalSqlKey === 'question_id' && d.questionId !== undefined
            ? String(d.questionId)
            : String(item.idx);
        finalSql[key] = withBirdSuffix(outcome.finalSql.get(item.idx)!, item.dbId);
      }
      writePyJson(out, 'final_sql.json', finalSql, 4);
      writePyJson(out, 'token_usage.json', tokenUsageJson(outcome.stages.generator!), 2);
      wrote.add('final_sql.json');
      wrote.add('token_usage.json');
    }
    // Like the reference: the baseline generator's token log, when it lies beside the baseline.
    const baselineLog = baselinePath.replace(/\.[^./]*$/, '') + '_token_usage.json';
    let baselineStep: { [k: string]: PyJson } | undefined;
    if (existsSync(baselineLog)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(baselineLog, 'utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          baselineStep = parsed as { [k: string]: PyJson };
      } catch {
        process.stderr.write(
          `run: ${baselineLog} is not valid JSON; left out of all_token_usage.json\n`,
        );
      }
    }
    writePyJson(out, 'all_token_usage.json', allTokenUsageJson(outcome.stages, baselineStep), 2);
    wrote.add('all_token_usage.json');

    const stages = STAGES.flatMap((stage: StageName) => {
      const results = outcome.stages[stage];
      if (!results) return [];
      const role = STAGE_ROLE[stage];
      const model = (role === 'generator' ? models.generator : models[role]) ?? 'deterministic';
      return [summarizeStage(stage, model, results, outcome.wallMs[stage] ?? 0)];
    });
    const prompt = stages.reduce((n, s) => n + s.promptTokens, 0);
    const completion = stages.reduce((n, s) => n + s.completionTokens, 0);
    const summary: RunSummary = {
      items: items.length,
      preset,
      stages,
      tokens: { prompt, completion, total: prompt + completion },
      ...(priceIn !== undefined || priceOut !== undefined
        ? {
            cost: {
              usd: (prompt * (priceIn ?? 0) + completion * (priceOut ?? 0)) / 1e6,
              inputPerMTok: priceIn ?? 0,
              outputPerMTok: priceOut ?? 0,
            },
          }
        : {}),
      files: [],
    };
    await addExecutionAccuracy(
      summary,
      datasetItems,
      baseline,
      outcome.finalSql,
      format,
      dataset,
      opts['timeout-ms'],
    );
    wrote.add('share_report.json');
    wrote.add('report.html');
    summary.files = [...wrote].sort();
    writeAtomic(join(out, 'share_report.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeAtomic(join(out, 'report.html'), htmlReport(summary));

    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(formatSummary(summary, out));
    return 0;
  },
};

async function addExecutionAccuracy(
  summary: RunSummary,
  items: DatasetItem[],
  baseline: Map<number, string>,
  finalSql: Map<number, string> | undefined,
  format: 'bird' | 'spider',
  dataset: ReturnType<typeof loadDatasetDir>,
  timeout: string | undefined,
): Promise<void> {
  if (!finalSql) {
    summary.exNote =
      'EX skipped: no generator model was given, so there is no corrected SQL to score';
    return;
  }
  const scored = items.filter(
    (i) => i.gold !== undefined && dataset.databaseFiles(i.dbId).length > 0,
  );
  if (scored.length === 0) {
    const noDb = items.filter((i) => dataset.databaseFiles(i.dbId).length === 0).length;
    summary.exNote =
      noDb > 0
        ? `EX skipped: ${noDb} of ${items.length} items have no database file under ${basename(dataset.dir)}/ (the set ships none)`
        : 'EX skipped: the dataset has no gold SQL';
    return;
  }
  if (scored.length < items.length) {
    summary.exNote = `EX over the ${scored.length} of ${items.length} items that have gold SQL and a database file`;
  }
  const runner = new WorkerSqlRunner(1);
  try {
    const options = {
      format,
      databases: (dbId: string) => dataset.databaseFiles(dbId),
      timeoutMs: timeout === undefined ? undefined : integer(timeout, 'timeout-ms', 'run'),
    };
    const before = new Map(scored.map((i) => [i.idx, birdPredictionSql(baseline.get(i.idx)!)]));
    const after = new Map(scored.map((i) => [i.idx, finalSql.get(i.idx)!]));
    const b = await evaluate(scored, before, runner, options);
    const a = await evaluate(scored, after, runner, options);
    const pick = (r: typeof b) => ({
      total: r.total,
      correct: r.correct,
      ex: r.ex,
      ...(r.byDifficulty ? { byDifficulty: r.byDifficulty } : {}),
    });
    summary.ex = { rules: format, before: pick(b), after: pick(a) };
  } finally {
    await runner.close();
  }
}

function formatSummary(s: RunSummary, out: string): string {
  const lines = [`SHARE run: ${s.items} items, preset ${s.preset} → ${out}`, ''];
  lines.push('stage       requests  prompt tok  completion tok   wall s   p50 ms   p95 ms');
  for (const st of s.stages) {
    lines.push(
      `${st.stage.padEnd(10)} ${String(st.requests).padStart(9)} ${String(st.promptTokens).padStart(11)} ${String(st.completionTokens).padStart(15)} ${(st.wallMs / 1000).toFixed(1).padStart(8)} ${st.latencyMs.p50.toFixed(0).padStart(8)} ${st.latencyMs.p95.toFixed(0).padStart(8)}`,
    );
  }
  lines.push(
    '',
    `tokens: ${s.tokens.prompt} prompt + ${s.tokens.completion} completion = ${s.tokens.total}`,
  );
  if (s.cost) lines.push(`cost: ${s.cost.usd.toFixed(4)} USD`);
  if (s.ex) {
    lines.push(
      '',
      `EX (${s.ex.rules} rules): before ${s.ex.before.ex.toFixed(2)} % → after ${s.ex.after.ex.toFixed(2)} %`,
    );
    for (const [k, t] of Object.entries(s.ex.before.byDifficulty ?? {})) {
      const a = s.ex.after.byDifficulty?.[k];
      lines.push(`  ${k.padEnd(12)} ${t.ex.toFixed(2)} % → ${a ? a.ex.toFixed(2) : '-'} %`);
    }
  }
  if (s.exNote) lines.push('', s.exNote);
  lines.push('', `report: ${join(out, 'report.html')}`);
  return `${lines.join('\n')}\n`;
}
