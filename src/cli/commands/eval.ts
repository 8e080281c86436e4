import { readFileSync } from 'node:fs';
import { DatasetError } from '../../core/eval/dataset';
import { DEFAULT_TIMEOUT_MS, evaluate, formatReport } from '../../core/eval/evaluate';
import { type Predictions, parsePredictions } from '../../core/eval/predictions';
import { integer, type OptionSpec, parseOptions, required } from '../args';
import { CliError } from '../cli-error';
import type { Command } from '../commands';
import { DATASET_OPTIONS, datasetFormat, loadDatasetDir } from '../dataset-dir';
import { ProgressBar } from '../progress';
import { WorkerSqlRunner } from '../worker-sql-runner';

const OPTIONS = {
  ...DATASET_OPTIONS,
  pred: {
    type: 'string',
    arg: 'FILE',
    required: true,
    help: 'the predicted SQL: BIRD JSON keyed by item index, as the official evaluator reads it, or one SQL per line',
  },
  json: {
    type: 'boolean',
    help: 'print one JSON object {"total", "correct", "ex", …, "items"} on stdout instead of a table',
  },
  'timeout-ms': {
    type: 'string',
    arg: 'MS',
    help: `time limit per item; past it the item is wrong (default ${DEFAULT_TIMEOUT_MS.bird} for BIRD, ${DEFAULT_TIMEOUT_MS.spider} for Spider)`,
  },
  'keep-distinct': {
    type: 'boolean',
    help: 'Spider: keep DISTINCT, which the test-suite rule removes before comparing',
  },
  jobs: { type: 'string', arg: 'N', help: 'worker threads running queries (default 1)' },
} as const satisfies OptionSpec;

export const evalCommand: Command = {
  summary: 'execution accuracy of predicted SQL, item by item as the official BIRD/Spider scripts',
  options: OPTIONS,
  async run(args) {
    const opts = parseOptions(args, OPTIONS, 'eval');
    const format = datasetFormat(opts.format, 'eval');
    const dataset = loadDatasetDir(required(opts.dataset, 'dataset', 'eval'), format, 'eval');
    const predFile = required(opts.pred, 'pred', 'eval');
    let text: string;
    try {
      text = readFileSync(predFile, 'utf8');
    } catch (error) {
      throw new CliError(`eval: cannot read ${predFile}: ${(error as Error).message}`);
    }
    let predictions: Predictions;
    try {
      const questionIds = new Map<string, number>();
      for (const item of dataset.items) {
        if (item.questionId !== undefined) questionIds.set(String(item.questionId), item.idx);
      }
      predictions = parsePredictions(text, predFile, questionIds);
    } catch (error) {
      if (error instanceof DatasetError) throw new CliError(`eval: ${error.message}`);
      throw error;
    }
    const jobs = integer(opts.jobs, 'jobs', 'eval', 1);
    const runner = new WorkerSqlRunner(Math.max(1, jobs));
    const bar = new ProgressBar('eval');
    try {
      const report = await evaluate(
        dataset.items,
        predictions.byIdx,
        runner,
        {
          format,
          databases: (dbId) => dataset.databaseFiles(dbId),
          timeoutMs:
            opts['timeout-ms'] === undefined
              ? undefined
              : integer(opts['timeout-ms'], 'timeout-ms', 'eval'),
          keepDistinct: opts['keep-distinct'] === true,
          concurrency: jobs,
          onProgress: (done, total) => bar.update(done, total),
        },
        predictions.warnings,
      );
      bar.finish();
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatReport(report));
      return 0;
    } finally {
      await runner.close();
    }
  },
};
