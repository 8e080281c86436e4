import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { schemaForDb, type TablesJsonEntry } from '../../core/schema/from-tables-json';
import type { Schema } from '../../core/schema/schema';
import { initSqlParser } from '../../core/sql/parse';
import {
  isTranslation,
  judgeRoundtrip,
  type RoundtripOutcome,
  translateRoundtrip,
} from '../../core/sr/roundtrip';
import { integer, type OptionSpec, parseOptions, required } from '../args';
import { CliError } from '../cli-error';
import type { Command } from '../commands';
import { ProgressBar } from '../progress';
import { runOne, WorkerSqlRunner } from '../worker-sql-runner';

interface SpiderItem {
  db_id: string;
  query: string;
}

function readJson<T>(path: string): T {
  if (!existsSync(path)) throw new CliError(`no such file: ${path}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Default time limit for each query of a round trip (the original and the compiled one). */
const DEFAULT_TIMEOUT_MS = 30_000;

const OPTIONS = {
  spider: {
    type: 'string',
    arg: 'DIR',
    required: true,
    help: 'a folder in Spider layout: dev.json, tables.json, database/<db>/<db>.sqlite',
  },
  json: {
    type: 'boolean',
    help: 'print one JSON object {"total", "compiled", "executionMatch"} on stdout',
  },
  verbose: {
    type: 'boolean',
    help: 'print every miss with its SQL, SR and compiled SQL on stderr',
  },
  'keep-joins': {
    type: 'boolean',
    help: "compile with the query's own join keys, as the fast preset does, instead of inferring them from foreign keys",
  },
  'timeout-ms': {
    type: 'string',
    arg: 'MS',
    help: `time limit of each query (the gold one and the compiled one); a query past it is a miss (default ${DEFAULT_TIMEOUT_MS})`,
  },
} as const satisfies OptionSpec;

export const roundtripCommand: Command = {
  summary:
    'send every gold query of a Spider-layout folder through SQL → SR → SQL and compare results',
  options: OPTIONS,
  async run(args) {
    const opts = parseOptions(args, OPTIONS, 'roundtrip');
    const dir = resolve(required(opts.spider, 'spider', 'roundtrip'));
    const timeoutMs = integer(opts['timeout-ms'], 'timeout-ms', 'roundtrip', DEFAULT_TIMEOUT_MS);
    if (timeoutMs <= 0)
      throw new CliError(`roundtrip: --timeout-ms must be a positive number of milliseconds`);
    const items = readJson<SpiderItem[]>(join(dir, 'dev.json'));
    if (!Array.isArray(items)) throw new CliError(`${join(dir, 'dev.json')} is not a JSON list`);
    const tables = readJson<TablesJsonEntry[]>(join(dir, 'tables.json'));
    if (!Array.isArray(tables))
      throw new CliError(`${join(dir, 'tables.json')} is not a JSON list`);
    await initSqlParser();
    // Queries run in a worker thread that is ended past the time limit (sql.js cannot
    // interrupt a query), so one runaway query costs one miss, not the whole run.
    const runner = new WorkerSqlRunner(1);
    const bar = new ProgressBar('roundtrip');
    const missingDbs = new Set<string>();
    const schemas = new Map<string, Schema | Error>();
    const report = { total: 0, compiled: 0, executionMatch: 0 };
    const run = (db: string, sql: string) => runOne(runner, db, sql, timeoutMs);
    const miss = (item: SpiderItem, problem: string, outcome?: RoundtripOutcome) => {
      if (!opts.verbose) return;
      const detail = outcome ? `${item.query}\n${outcome.sr ?? ''}\n${outcome.sql ?? ''}\n` : '';
      process.stderr.write(`--- ${String(item?.db_id)}: ${problem}\n${detail}`);
    };
    try {
      for (const item of items) {
        report.total++;
        bar.update(report.total - 1, items.length);
        if (typeof item?.query !== 'string' || !item.query.trim()) {
          miss(item, 'no gold query');
          continue;
        }
        if (typeof item.db_id !== 'string' || !/^[\w.-]+$/.test(item.db_id)) {
          miss(item, 'no usable db_id');
          continue;
        }
        const file = join(dir, 'database', item.db_id, `${item.db_id}.sqlite`);
        if (!existsSync(file)) {
          // Its queries count as misses: a result that cannot be checked is not a match.
          if (!missingDbs.has(item.db_id))
            process.stderr.write(
              `roundtrip: no database file ${file}; its queries count as misses\n`,
            );
          missingDbs.add(item.db_id);
          continue;
        }
        if (!schemas.has(item.db_id)) {
          try {
            schemas.set(item.db_id, schemaForDb(tables, item.db_id));
          } catch (error) {
            schemas.set(item.db_id, error as Error);
          }
        }
        const schema = schemas.get(item.db_id)!;
        if (schema instanceof Error) {
          miss(item, schema.message);
          continue;
        }
        const t = translateRoundtrip(item.query, schema, {
          keepJoins: opts['keep-joins'] ?? false,
        });
        let outcome: RoundtripOutcome;
        if (!isTranslation(t)) outcome = t;
        else {
          const expected = await run(file, item.query);
          outcome = judgeRoundtrip(
            t,
            expected,
            'error' in expected ? undefined : await run(file, t.sql),
          );
        }
        if (outcome.compiled) report.compiled++;
        if (outcome.match) report.executionMatch++;
        else miss(item, outcome.problem ?? 'no match', outcome);
      }
      bar.update(report.total, items.length);
      bar.finish();
    } finally {
      await runner.close();
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const pct = (n: number) => `${((100 * n) / Math.max(1, report.total)).toFixed(1)}%`;
    process.stdout.write(
      `${report.total} queries: ${report.compiled} compiled back (${pct(report.compiled)}), ` +
        `${report.executionMatch} same result (${pct(report.executionMatch)})\n`,
    );
    return 0;
  },
};
