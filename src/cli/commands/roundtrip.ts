import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import initSqlJs, { type Database } from 'sql.js';
import { schemaForDb, type TablesJsonEntry } from '../../core/schema/from-tables-json';
import type { Schema } from '../../core/schema/schema';
import { initSqlParser } from '../../core/sql/parse';
import { roundtrip } from '../../core/sr/roundtrip';
import { parseOptions, required } from '../args';
import { CliError } from '../cli-error';
import type { Command } from '../commands';

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

export const roundtripCommand: Command = {
  summary:
    'send every gold query of a Spider-layout folder through SQL → SR → SQL and compare results',
  async run(args) {
    const opts = parseOptions(
      args,
      {
        spider: { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        'keep-joins': { type: 'boolean' },
      },
      'roundtrip',
    );
    const dir = resolve(required(opts.spider, 'spider', 'roundtrip'));
    const items = readJson<SpiderItem[]>(join(dir, 'dev.json'));
    const tables = readJson<TablesJsonEntry[]>(join(dir, 'tables.json'));
    await initSqlParser();
    const SQL = await initSqlJs();
    const dbs = new Map<string, Database>();
    const missingDbs = new Set<string>();
    const report = { total: 0, compiled: 0, executionMatch: 0 };
    try {
      for (const item of items) {
        report.total++;
        if (typeof item.query !== 'string' || !item.query.trim()) {
          if (opts.verbose) process.stderr.write(`--- ${item.db_id}: no gold query\n`);
          continue;
        }
        let db = dbs.get(item.db_id);
        if (!db && !missingDbs.has(item.db_id)) {
          const file = join(dir, 'database', item.db_id, `${item.db_id}.sqlite`);
          if (existsSync(file)) {
            db = new SQL.Database(readFileSync(file));
            dbs.set(item.db_id, db);
          } else {
            // Its queries count as misses: a result that cannot be checked is not a match.
            process.stderr.write(
              `roundtrip: no database file ${file}; its queries count as misses\n`,
            );
            missingDbs.add(item.db_id);
          }
        }
        if (!db) continue;
        let schema: Schema;
        try {
          schema = schemaForDb(tables, item.db_id);
        } catch (error) {
          if (opts.verbose)
            process.stderr.write(`--- ${item.db_id}: ${(error as Error).message}\n`);
          continue;
        }
        const current = db;
        const outcome = roundtrip(item.query, schema, (sql) => current.exec(sql)[0]?.values ?? [], {
          keepJoins: opts['keep-joins'] ?? false,
        });
        if (outcome.compiled) report.compiled++;
        if (outcome.match) report.executionMatch++;
        else if (opts.verbose) {
          process.stderr.write(
            `--- ${item.db_id}: ${outcome.problem}\n${item.query}\n${outcome.sr ?? ''}\n${outcome.sql ?? ''}\n`,
          );
        }
        if (process.stderr.isTTY && report.total % 50 === 0) {
          process.stderr.write(`\rroundtrip: ${report.total}/${items.length}`);
        }
      }
    } finally {
      for (const db of dbs.values()) db.close();
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
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
