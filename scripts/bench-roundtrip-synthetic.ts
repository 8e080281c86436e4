/**
 * `npm run bench:roundtrip-synthetic [-- --reference DIR] [--queries gold|baseline|stage1|final]
 * [--rows N] [--seed S] [--keep-joins] [--dev FILE] [--tables FILE] [--timeout-ms MS] [--json]
 * [--verbose]`: SQL → SR → SQL on every gold query of a BIRD- or
 * Spider-layout folder (`dev.json` with `SQL` or `query`, `tables.json`) whose databases are not
 * at hand, such as BIRD's. With `--queries baseline` it round-trips the recorded run's initial
 * SQL (`baseline_sql.json`: what users of the correction actually bring, including SQL that
 * does not run) instead of the gold SQL. With `--queries stage1` it compiles the recorded
 * stage-1 trajectory (the SR the model wrote for that initial SQL) instead of ours, and compares
 * it with the initial SQL: how well SR → SQL reads what a model actually writes. With `--queries
 * final` it compares the fast preset's stage 5 with the faithful pipeline's: the SQL the fast
 * preset writes from the recorded stage-4 trajectory (`deterministicFinalSql`, given the
 * recorded stage-1 trajectory and the initial SQL) against the generator's recorded SQL
 * (`final_sql.json`). With `--keep-joins` the SR compiles back with the
 * query's own join keys, as the fast preset compiles a corrected trajectory. `--dev` and
 * `--tables` take the queries and schemas from other files, e.g. `--dev
 * test/data/spider-unseen-schemas.json --tables ../shared/data/spider/tables.json`.
 *
 * Each database is made up from its `tables.json` entry (see `syntheticDatabase`): unique keys,
 * references to existing rows, values mostly drawn from the literals of that database's
 * queries. Gold and round-tripped SQL run on it and are compared like `roundtrip` does, in a
 * worker thread ended past `--timeout-ms` (a recursive CTE can cycle forever on made-up rows).
 * Made-up rows agree more easily than real ones (many gold results are empty), so the
 * report also counts the queries whose gold result has rows. Problems go to stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import initSqlJs from 'sql.js';
import { loadReferenceDir } from '../src/cli/reference-dir';
import { workerSyntheticRunner } from '../src/cli/synthetic-runner';
import { schemaForDb, type TablesJsonEntry } from '../src/core/schema/from-tables-json';
import type { Schema } from '../src/core/schema/schema';
import { extractSr } from '../src/core/share/extract';
import { stripBirdSuffix } from '../src/core/share/item';
import { initSqlParser } from '../src/core/sql/parse';
import { deterministicFinalSql, KEPT_AS_WRITTEN } from '../src/core/sr/deterministic-stages';
import { type SyntheticItem, syntheticRoundtrip } from '../src/core/sr/synthetic-db';
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
      help: "gold: dev.json's SQL (default); baseline: the recorded run's initial SQL (baseline_sql.json); stage1: that SQL against the recorded stage-1 SR of it, compiled instead of ours; final: the generator's recorded SQL (final_sql.json) against the fast preset's stage 5 over the recorded stage-4 SR",
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
    'timeout-ms': {
      type: 'string',
      arg: 'MS',
      help: 'time limit per query in milliseconds; a query past it is a miss (default 10000)',
    },
    json: { type: 'boolean', help: 'print one JSON object on stdout instead of a table' },
    verbose: { type: 'boolean', help: 'print every miss on stderr' },
  },
});
const dir = resolve(values.reference ?? '../shared/data/share-reference/bird-dev-even');
const which = values.queries ?? 'gold';
if (!['gold', 'baseline', 'stage1', 'final'].includes(which)) {
  process.stderr.write(
    `bench:roundtrip-synthetic: --queries is gold, baseline, stage1 or final, not ${which}\n`,
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
const timeoutMs = Number(values['timeout-ms'] ?? 10_000);
if (
  !Number.isInteger(rows) ||
  rows <= 0 ||
  !Number.isInteger(seed) ||
  !Number.isInteger(timeoutMs) ||
  timeoutMs <= 0
) {
  process.stderr.write(
    'bench:roundtrip-synthetic: --rows and --timeout-ms are positive integers and --seed an integer\n',
  );
  process.exit(2);
}
await initSqlParser();
const SQL = await initSqlJs();

let keptAsWritten = 0;
const list: SyntheticItem[] =
  which === 'gold'
    ? items.flatMap((item) => {
        const sql = item.SQL ?? item.query;
        return sql === undefined ? [] : [{ dbId: item.db_id, sql }];
      })
    : which === 'final'
      ? await finalQueries(dir)
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
/**
 * The generator's recorded SQL of each item, with what the fast preset's stage 5 writes
 * instead from the recorded stage-4 trajectory (or why it writes nothing).
 */
async function finalQueries(dir: string): Promise<SyntheticItem[]> {
  const ref = loadReferenceDir(dir);
  const stage1 = ref.stages.get('bam');
  const stage4 = ref.stages.get('lom');
  if (!stage4?.size || !ref.finalSql?.size) {
    process.stderr.write(
      `bench:roundtrip-synthetic: ${dir} has no recorded stage-4 trajectories and generator SQL (final_traj.jsonl, final_sql.json)\n`,
    );
    process.exit(2);
  }
  const out: SyntheticItem[] = [];
  for (const item of ref.items) {
    const sql = ref.finalSql.get(item.idx);
    const corrected = stage4.get(item.idx)?.response;
    if (sql === undefined || corrected === undefined) continue;
    const sr = extractSr(corrected);
    let schema: Schema;
    try {
      schema = schemaForDb(ref.tables, item.dbId);
    } catch {
      out.push({ dbId: item.dbId, sql, sr }); // reported below as not in tables.json
      continue;
    }
    const stage5 = await deterministicFinalSql(
      sr,
      extractSr(stage1?.get(item.idx)?.response ?? ''),
      stripBirdSuffix(item.initialSql),
      schema,
    );
    if (stage5.ok && stage5.notes.includes(KEPT_AS_WRITTEN)) keptAsWritten++;
    out.push({
      dbId: item.dbId,
      sql,
      sr,
      candidate: stage5.ok ? { sql: stage5.output } : { problem: `stage 5: ${stage5.reason}` },
    });
  }
  return out;
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
const runner = workerSyntheticRunner(timeoutMs);
const report = await syntheticRoundtrip(
  SQL,
  list,
  tables,
  { rows, seed, keepJoins: values['keep-joins'] ?? false, runner },
  (dbId, sql, outcome) => {
    // Group problems by kind: names and values stripped.
    const kind = (outcome.problem ?? '')
      .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
      .replace(/line \d+/, 'line N')
      .replace(/joins .* to .*; (.*?e\.g\.).*/, 'joins … to …; $1 …')
      .slice(0, 90);
    problems.set(kind, (problems.get(kind) ?? 0) + 1);
    if (values.verbose) {
      process.stderr.write(
        `--- ${dbId}: ${outcome.problem}\n${sql}\n${outcome.sr ?? ''}\n${outcome.sql ?? ''}\n`,
      );
    }
  },
).finally(() => runner.close());

for (const [kind, n] of [...problems].sort((a, b) => b[1] - a[1])) {
  process.stderr.write(`${String(n).padStart(5)}  ${kind}\n`);
}
const pct = (a: number, b: number) => `${((100 * a) / (b || 1)).toFixed(1)}%`;
// With `final`, `compiled` counts the SQL stage 5 wrote, kept as written or compiled.
const json = which === 'final' ? { ...report, keptAsWritten } : report;
if (values.json) process.stdout.write(`${JSON.stringify(json)}\n`);
else {
  process.stdout.write(
    [
      `${report.total} ${which} queries from ${which === 'gold' ? devFile : dir} on made-up rows (${rows} per table, seed ${seed})`,
      `run as given:    ${report.goldRuns} (${pct(report.goldRuns, report.total)})`,
      `compiled back:   ${report.compiled} (${pct(report.compiled, report.total)})`,
      ...(which === 'final'
        ? [
            `  of which kept:  ${keptAsWritten} (trajectory unchanged, the initial SQL kept as written)`,
          ]
        : []),
      `same result:     ${report.executionMatch} (${pct(report.executionMatch, report.total)}; ${pct(report.executionMatch, report.goldRuns)} of those that run)`,
      `  where the ${which === 'stage1' ? 'initial SQL' : which === 'final' ? "generator's" : which} result has rows: ${report.executionMatchWithRows}/${report.goldWithRows} (${pct(report.executionMatchWithRows, report.goldWithRows)})`,
      '',
    ].join('\n'),
  );
}
