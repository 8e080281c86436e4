/**
 * `npm run bench:sr-consistency [-- --reference DIR] [--json]`: how consistently BAM writes
 * the same kind of SQL, which bounds what any deterministic SQL → SR can score against it.
 *
 * Each initial SQL of a recorded SHARE run is reduced to its shape (names → I, strings → S,
 * numbers → N, keywords kept) and each recorded stage-1 SR likewise (`t.c` → I, literals
 * → S/N, steps kept). For shapes that occur at least twice, a converter that sees only the
 * shape can at best write the shape's most frequent SR: `shared.majority` counts how many
 * items that choice matches shape for shape (chosen in-sample, so an optimistic bound) and its mean
 * step similarity. `ours` scores `sqlToSr` against the recorded SR on the same items, and on
 * the items whose shape occurs once. Progress goes to stderr; the result to stdout.
 */
import { resolve } from 'node:path';
import { loadReferenceDir } from '../src/cli/reference-dir';
import { schemaForDb } from '../src/core/schema/from-tables-json';
import { extractSr } from '../src/core/share/extract';
import { stripBirdSuffix } from '../src/core/share/item';
import { initSqlParser, parseSql } from '../src/core/sql/parse';
import {
  lcsLength,
  normalizeStep,
  srExactlyEqual,
  stepSimilarity,
  trimmedLines,
} from '../src/core/sr/compare';
import { sqlToSr } from '../src/core/sr/from-sql';
import { scriptOptions } from './script-options';

const KEYWORDS = new Set(
  `select from where and or not in like glob between is null group by order having limit
  offset desc asc distinct all count sum avg max min total join on as inner left right full
  outer cross natural using cast case when then else end union intersect except with exists
  real float integer text numeric strftime substr substring date julianday iif coalesce
  ifnull nullif abs round length upper lower instr replace trim over partition`.split(/\s+/),
);

/** The shape of a SQL query: names, strings and numbers replaced, keywords kept. */
function sqlShape(sql: string): string {
  // Placeholders that no later step can mistake for a word: \u0001 string, \u0002 number.
  return sql
    .replace(/'(?:[^']|'')*'/g, ' \u0001 ')
    .replace(/"[^"]*"|`[^`]*`|\[[^\]]*\]/g, ' I ')
    .replace(/\b\d+(?:\.\d+)?\b/g, ' \u0002 ')
    .replace(/\b[A-Za-z_][A-Za-z0-9_]*\s*\.\s*(?:[A-Za-z_][A-Za-z0-9_]*|I\b)/g, 'I')
    .replace(/[A-Za-z_][A-Za-z0-9_]*/g, (w) =>
      KEYWORDS.has(w.toLowerCase()) ? w.toLowerCase() : 'I',
    )
    .replaceAll('\u0001', 'S')
    .replaceAll('\u0002', 'N')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),;])\s*/g, '$1')
    .trim();
}

/** The shape of an SR, line by line: `t.c` names and literals replaced, steps kept. */
function srShape(sr: string): string[] {
  return trimmedLines(sr).map((line) =>
    normalizeStep(
      line
        .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, 'S')
        .replace(/`[^`]*`/g, 'I')
        .replace(/\b([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/g, (m, head) =>
          /^(df|tmp_res|res)\d*$/.test(head) ? m : 'I',
        )
        .replace(/\b\d+(?:\.\d+)?\b/g, 'N'),
    ),
  );
}

const values = scriptOptions('bench:sr-consistency', {
  summary:
    'how consistently BAM writes SQL of one shape in a recorded SHARE run: the bound that puts on any deterministic SQL → SR, and sqlToSr against it',
  options: {
    reference: {
      type: 'string',
      arg: 'DIR',
      help: 'a recorded SHARE run (default ../shared/data/share-reference/bird-dev-even)',
    },
    json: { type: 'boolean', help: 'print one JSON object on stdout instead of a table' },
  },
});
const dir = resolve(values.reference ?? '../shared/data/share-reference/bird-dev-even');
await initSqlParser();
const ref = await loadReferenceDir(dir);
process.stderr.write(`${ref.items.length} items from ${dir}\n`);

interface Item {
  shape: string;
  recorded: string;
  ours: string;
}
const items: Item[] = [];
for (const item of ref.items) {
  const response = ref.stages.get('bam')?.get(item.idx)?.response;
  const recorded = response === undefined ? '' : extractSr(response);
  if (!recorded) continue;
  const sql = stripBirdSuffix(item.initialSql);
  let ours = '';
  try {
    ours = sqlToSr(parseSql(sql), schemaForDb(ref.tables, item.dbId)).sr;
  } catch {
    // Unparseable SQL: scored as an empty SR, as sr-bench does.
  }
  items.push({ shape: sqlShape(sql), recorded, ours });
}

const byShape = new Map<string, Item[]>();
for (const it of items) byShape.set(it.shape, [...(byShape.get(it.shape) ?? []), it]);

const similarity = (a: string[], b: string[]) =>
  a.length + b.length === 0 ? 1 : (2 * lcsLength(a, b)) / (a.length + b.length);
const score = (list: Item[]) => ({
  items: list.length,
  exact: list.filter((i) => srExactlyEqual(i.ours, i.recorded)).length,
  /** Equal once names and literals are replaced, as the majority bound counts. */
  shapeExact: list.filter((i) => srShape(i.ours).join('\n') === srShape(i.recorded).join('\n'))
    .length,
  stepSimilarity: round(
    list.reduce((s, i) => s + stepSimilarity(i.ours, i.recorded), 0) / (list.length || 1),
  ),
});
const round = (x: number) => Math.round(x * 1000) / 1000;

let groups = 0;
let majorityShapeExact = 0;
let majoritySimilarity = 0;
const shared: Item[] = [];
const singletons: Item[] = [];
for (const group of byShape.values()) {
  if (group.length < 2) {
    singletons.push(...group);
    continue;
  }
  groups++;
  shared.push(...group);
  const counts = new Map<string, number>();
  for (const it of group) {
    const key = srShape(it.recorded).join('\n');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [best, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  majorityShapeExact += n;
  const bestLines = best.split('\n');
  for (const it of group) majoritySimilarity += similarity(srShape(it.recorded), bestLines);
}

const report = {
  reference: dir,
  items: items.length,
  shared: {
    shapes: groups,
    items: shared.length,
    majority: {
      shapeExact: majorityShapeExact,
      stepSimilarity: round(majoritySimilarity / (shared.length || 1)),
    },
    ours: score(shared),
  },
  singletons: { ours: score(singletons) },
};
if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  const pct = (a: number, b: number) => `${((100 * a) / (b || 1)).toFixed(1)}%`;
  const s = report.shared;
  process.stdout.write(
    [
      `${report.items} items; ${s.items} share their SQL shape with another item (${s.shapes} shapes), ${singletons.length} do not.`,
      `Shared shapes, best shape-only choice: shape-exact ${s.majority.shapeExact}/${s.items} = ${pct(s.majority.shapeExact, s.items)}, step similarity ${s.majority.stepSimilarity}`,
      `Shared shapes, sqlToSr:                exact ${s.ours.exact}/${s.items} = ${pct(s.ours.exact, s.items)} (shape-exact ${s.ours.shapeExact}), step similarity ${s.ours.stepSimilarity}`,
      `Unique shapes, sqlToSr:                exact ${report.singletons.ours.exact}/${singletons.length} = ${pct(report.singletons.ours.exact, singletons.length)}, step similarity ${report.singletons.ours.stepSimilarity}`,
      '',
    ].join('\n'),
  );
}
