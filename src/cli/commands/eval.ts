import { readFileSync } from 'node:fs';
import { DatasetError } from '../../core/eval/dataset';
import { evaluate, formatReport } from '../../core/eval/evaluate';
import { type Predictions, parsePredictions } from '../../core/eval/predictions';
import { integer, parseOptions, required } from '../args';
import { CliError } from '../cli-error';
import type { Command } from '../commands';
import { datasetFormat, loadDatasetDir } from '../dataset-dir';
import { ProgressBar } from '../progress';
import { WorkerSqlRunner } from '../worker-sql-runner';

export const evalCommand: Command = {
  summary: 'execution accuracy of predicted SQL, item by item as the official BIRD/Spider scripts',
  async run(args) {
    const opts = parseOptions(
      args,
      {
        dataset: { type: 'string' },
        format: { type: 'string' },
        pred: { type: 'string' },
        json: { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        'keep-distinct': { type: 'boolean' },
        jobs: { type: 'string' },
      },
      'eval',
    );
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
