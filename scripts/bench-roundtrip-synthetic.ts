/**
 * `npm run bench:roundtrip-synthetic [-- --reference DIR] [--queries gold|baseline|stage1] [--rows N]
 * [--seed S] [--keep-joins] [--dev FILE] [--tables FILE] [--json] [--verbose]`: SQL → SR → SQL on every gold query of a BIRD- or
 * Spider-layout folder (`dev.json` with `SQL` or `query`, `tables.json`) whose databases are not
 * at hand, such as BIRD's. With `--queries baseline` it round-trips the recorded run's initial
 * SQL (`baseline_sql.json`: what users of the correction actually bring, including SQL that
 * does not run) instead of the gold SQL. With `--queries stage1` it compiles the recorded
 * stage-1 trajectory (the SR the model wrote for that initial SQL) instead of ours, and compares
 * it with the initial SQL: how well SR → SQL reads what a model actually writes. With `--keep-joins` the SR compiles back with the
 * query's own join keys, as the fast preset compiles a corrected trajectory. `--dev` and
 * `--tables` take the queries and schemas from other files, e.g. `--dev
 * test/data/spider-unseen-schemas.json --tables ../shared/data/spider/tables.json`.
 *
 * Each database is made up from its `tables.json` entry (see `syntheticDatabase`): unique keys,
 * references to existing rows, values mostly drawn from the literals of that database's
 * queries. Gold and round-tripped SQL run on it and are compared like `roundtrip` does.
 * Made-up rows agree more easily than real ones (many gold results are empty), so the
 * report also counts the queries whose gold result has rows. Problems go to stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import initSqlJs from 'sql.js';
import { loadReferenceDir } from '../src/cli/reference-dir';
import type { TablesJsonEntry } from '../src/core/schema/from-tables-json';
import { extractSr } from '../src/core/share/extract';
import { stripBirdSuffix } from '../src/core/share/item';
import { initSqlParser } from '../src/core/sql/parse';
import { syntheticRoundtrip } from '../src/core/sr/synthetic-db';
import { scriptOptions } from './script-options';

const values = scriptOptions('bench:roundtrip-synthetic', {
  summary:
    'SQL → SR → SQL on every query of a BIRD- or Spider-layout folder, both run on made-up rows built from tables.json and compared by result',
  options: {
    reference: {
      type: 'string',
      arg: 'DIR',
      help: 'a folder with dev.json and tables.json (default ../shared/data/share-reference/bird-dev-even)',
    },
    queries: {
      type: 'string',
      arg: 'WHICH',
      help: "gold: dev.json's SQL (default); baseline: the recorded run's initial SQL (baseline_sql.json); stage1: that SQL against the recorded stage-1 SR of it, compiled instead of ours",
    },
    rows: { type: 'string', arg: 'N', help: 'rows made up per table (default 40)' },
    seed: { type: 'string', arg: 'S', help: 'seed of the made-up rows (default 1)' },
    'keep-joins': {
      type: 'boolean',
      help: "compile back with the query's own join keys, as the fast preset does",
    },
    dev: {
      type: 'string',
      arg: 'FILE',
      help: 'the queries from this file instead of DIR/dev.json',
    },
    tables: {
      type: 'string',
      arg: 'FILE',
      help: 'the schemas from this file instead of DIR/tables.json',
    },
    json: { type: 'boolean', help: 'print one JSON object on stdout instead of a table' },
    verbose: { type: 'boolean', help: 'print every miss on stderr' },
  },
});
const dir = resolve(values.reference ?? '../shared/data/share-reference/bird-dev-even');
const which = values.queries ?? 'gold';
if (which !== 'gold' && which !== 'baseline' && which !== 'stage1') {
  process.stderr.write(
    `bench:roundtrip-synthetic: --queries is gold, baseline or stage1, not ${which}\n`,
  );
  process.exit(2);
}
const devFile = resolve(values.dev ?? join(dir, 'dev.json'));
const tablesFile = resolve(values.tables ?? join(dir, 'tables.json'));
for (const f of [
  devFile,
  tablesFile,
  ...(which === 'gold' ? [] : [join(dir, 'baseline_sql.json')]),
]) {
  if (!existsSync(f)) {
    process.stderr.write(`bench:roundtrip-synthetic: no such file: ${f}\n`);
    process.exit(2);
  }
}
const items = JSON.parse(readFileSync(devFile, 'utf8')) as {
  db_id: string;
  SQL?: string;
  query?: string;
}[];
const tables = JSON.parse(readFileSync(tablesFile, 'utf8')) as TablesJsonEntry[];
const rows = Number(values.rows ?? 40);
const seed = Number(values.seed ?? 1);
if (!Number.isInteger(rows) || rows <= 0 || !Number.isInteger(seed)) {
  process.stderr.write(
    'bench:roundtrip-synthetic: --rows is a positive integer and --seed an integer\n',
  );
  process.exit(2);
}
await initSqlParser();
const SQL = await initSqlJs();

const list =
  which === 'gold'
    ? items.flatMap((item) => {
        const sql = item.SQL ?? item.query;
        return sql === undefined ? [] : [{ dbId: item.db_id, sql }];
      })
    : recordedQueries(dir, which === 'stage1');
/** The recorded run's initial SQL, and with `stage1` the trajectory its stage 1 wrote for it. */
function recordedQueries(dir: string, stage1: boolean) {
  const ref = loadReferenceDir(dir);
  const recorded = ref.stages.get('bam');
  if (stage1 && !recorded?.size) {
    process.stderr.write(
      `bench:roundtrip-synthetic: ${dir} has no recorded stage-1 trajectories\n`,
    );
    process.exit(2);
  }
  return ref.items.flatMap((item) => {
    const sql = stripBirdSuffix(item.initialSql);
    if (!stage1) return [{ dbId: item.dbId, sql }];
    const response = recorded?.get(item.idx)?.response;
    return response === undefined ? [] : [{ dbId: item.dbId, sql, sr: extractSr(response) }];
  });
}
const blank = list.filter((i) => i.sql.trim() === '').length;
if (blank > 0) {
  process.stderr.write(
    `${blank} of ${list.length} ${which} queries are empty (${which === 'gold' ? 'dev.json has no gold SQL here; try --queries baseline' : 'no SQL recorded'}); they count as misses\n`,
  );
}
const missing = new Set(
  list.map((i) => i.dbId).filter((id) => !tables.some((t) => t.db_id === id)),
);
for (const id of missing)
  process.stderr.write(`${id}: not in tables.json, its queries are skipped\n`);
const problems = new Map<string, number>();
const report = syntheticRoundtrip(
  SQL,
  list,
  tables,
  { rows, seed, keepJoins: values['keep-joins'] ?? false },
  (dbId, sql, outcome) => {
    // Group problems by kind: names and values stripped.
    const kind = (outcome.problem ?? '')
      .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
      .replace(/line \d+/, 'line N')
      .replace(/joins .* to .*;/, 'joins … to …;')
      .slice(0, 90);
    problems.set(kind, (problems.get(kind) ?? 0) + 1);
    if (values.verbose) {
      process.stderr.write(
        `--- ${dbId}: ${outcome.problem}\n${sql}\n${outcome.sr ?? ''}\n${outcome.sql ?? ''}\n`,
      );
    }
  },
);

for (const [kind, n] of [...problems].sort((a, b) => b[1] - a[1])) {
  process.stderr.write(`${String(n).padStart(5)}  ${kind}\n`);
}
const pct = (a: number, b: number) => `${((100 * a) / (b || 1)).toFixed(1)}%`;
if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  process.stdout.write(
    [
      `${report.total} ${which} queries from ${which === 'gold' ? devFile : dir} on made-up rows (${rows} per table, seed ${seed})`,
      `run as given:    ${report.goldRuns} (${pct(report.goldRuns, report.total)})`,
      `compiled back:   ${report.compiled} (${pct(report.compiled, report.total)})`,
      `same result:     ${report.executionMatch} (${pct(report.executionMatch, report.total)}; ${pct(report.executionMatch, report.goldRuns)} of those that run)`,
      `  where the ${which === 'stage1' ? 'initial SQL' : which} result has rows: ${report.executionMatchWithRows}/${report.goldWithRows} (${pct(report.executionMatchWithRows, report.goldWithRows)})`,
      '',
    ].join('\n'),
  );
}
