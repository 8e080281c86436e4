import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { BIRD_DEV_EVEN, ROOT, SPIDER, SPIDER2SQLITE } from '../../../test/paths';
import { parseReferenceSet } from '../reference/reference-set';
import { schemaForDb, type TablesJsonEntry } from '../schema/from-tables-json';
import { extractSr } from '../share/extract';
import { stripBirdSuffix } from '../share/item';
import { initSqlParser, parseSql } from '../sql/parse';
import { sqlToSr } from './from-sql';
import { dateColumnsOf, literalsOf, syntheticDatabase, syntheticRoundtrip } from './synthetic-db';

// Declared child-first, with a reference into the parent, to check the fill order.
const entry: TablesJsonEntry = {
  db_id: 'shop',
  table_names_original: ['orders', 'customers', 'sqlite_sequence'],
  column_names_original: [
    [-1, '*'],
    [0, 'order_id'],
    [0, 'customer_id'],
    [0, 'total'],
    [1, 'customer_id'],
    [1, 'city'],
    [2, 'name'],
  ],
  column_types: ['text', 'number', 'number', 'number', 'number', 'text', 'text'],
  primary_keys: [1, 4],
  foreign_keys: [[2, 4]],
};

describe('syntheticDatabase', () => {
  it('fills keys uniquely, points references at existing rows and uses the queries’ literals', async () => {
    const SQL = await initSqlJs();
    const literals = literalsOf([
      "SELECT COUNT(*) FROM customers WHERE city = 'Rome' AND customer_id > 3",
      "SELECT total FROM orders WHERE total = 250 AND note = 'it''s'",
    ]);
    expect(literals.strings).toEqual(['Rome', "it's"]);
    expect(literals.numbers.sort()).toEqual([250, 3]);
    const db = syntheticDatabase(SQL, entry, { rows: 30, seed: 7, literals });
    const one = (sql: string) => db.exec(sql)[0]!.values[0]![0];
    expect(one('SELECT COUNT(DISTINCT customer_id) FROM customers')).toBe(30);
    expect(
      one(
        'SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id IS NULL',
      ),
    ).toBe(0);
    expect(one("SELECT COUNT(*) FROM customers WHERE city = 'Rome'")).toBeGreaterThan(0);
    expect(one('SELECT COUNT(*) FROM orders WHERE total = 250')).toBeGreaterThan(0);
    // The same seed gives the same rows.
    const again = syntheticDatabase(SQL, entry, { rows: 30, seed: 7, literals });
    expect(again.exec('SELECT * FROM orders')).toEqual(db.exec('SELECT * FROM orders'));
    db.close();
    again.close();
  });
});

describe('dateColumnsOf', () => {
  it('finds the columns read as dates and fills them with ISO dates of the years asked about', async () => {
    await initSqlParser();
    const queries = [
      "SELECT COUNT(*) FROM customers WHERE strftime('%Y', city) = '2017'",
      "SELECT total FROM orders WHERE julianday(CAST(T.note AS TEXT)) > 2 AND note = 'x'",
      'not SQL at all',
    ];
    expect(dateColumnsOf(queries).sort()).toEqual(['city', 'note']);
    const SQL = await initSqlJs();
    const literals = literalsOf(queries);
    const one = (db: Database, sql: string) => db.exec(sql)[0]!.values[0]![0];
    const dated = syntheticDatabase(SQL, entry, { literals, dateColumns: ['city'] });
    const cities = 'SELECT COUNT(*) FROM customers WHERE city IS NOT NULL';
    expect(
      one(dated, `${cities} AND city NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'`),
    ).toBe(0);
    expect(
      one(dated, "SELECT COUNT(*) FROM customers WHERE strftime('%Y', city) = '2017'"),
    ).toBeGreaterThan(0);
    // Without them, the column holds the literals as they are.
    const plain = syntheticDatabase(SQL, entry, { literals });
    expect(one(plain, "SELECT COUNT(*) FROM customers WHERE strftime('%Y', city) = '2017'")).toBe(
      0,
    );
    dated.close();
    plain.close();
  });
});

describe('SQL → SR → SQL on BIRD gold SQL (databases made up from tables.json)', () => {
  it('gives the same result for at least 95% of the 1,534 queries of 11 databases', async () => {
    await initSqlParser();
    const SQL = await initSqlJs();
    const dev = JSON.parse(readFileSync(join(BIRD_DEV_EVEN, 'dev.json'), 'utf8')) as {
      db_id: string;
      SQL: string;
    }[];
    const tables = JSON.parse(
      readFileSync(join(BIRD_DEV_EVEN, 'tables.json'), 'utf8'),
    ) as TablesJsonEntry[];
    const report = await syntheticRoundtrip(
      SQL,
      dev.map((d) => ({ dbId: d.db_id, sql: d.SQL })),
      tables,
      { seed: 1 },
    );
    expect(report.total).toBe(1534);
    expect(report.executionMatch / report.total).toBeGreaterThanOrEqual(0.95);
    // Not only agreement on empty results.
    expect(report.executionMatchWithRows / report.goldWithRows).toBeGreaterThanOrEqual(0.9);
  }, 60_000);
});

describe('BAM’s recorded trajectories compiled back (SR as a model writes it)', () => {
  it('gives the initial SQL’s result for at least 87% of bird-dev-even’s queries that run', async () => {
    await initSqlParser();
    const SQL = await initSqlJs();
    const files = ['dev.json', 'tables.json', 'baseline_sql.json', 'original_traj.jsonl'];
    const ref = parseReferenceSet(
      'bird-dev-even',
      new Map(files.map((f) => [f, readFileSync(join(BIRD_DEV_EVEN, f), 'utf8')])),
    );
    const stage1 = ref.stages.get('bam')!;
    const items = ref.items.flatMap((item) => {
      const response = stage1.get(item.idx)?.response;
      return response === undefined
        ? []
        : [{ dbId: item.dbId, sql: stripBirdSuffix(item.initialSql), sr: extractSr(response) }];
    });
    expect(items.length).toBe(767);
    const report = await syntheticRoundtrip(SQL, items, ref.tables, { seed: 1 });
    // 642 before SR → SQL read BAM's other spellings (`filter = in(…)`, `.as(…)`, …).
    expect(report.executionMatch / report.goldRuns).toBeGreaterThanOrEqual(0.87);
    // Its own trajectory of a query is compiled when none is given: not the same count.
    const ours = await syntheticRoundtrip(
      SQL,
      items.map(({ dbId, sql }) => ({ dbId, sql })),
      ref.tables,
      { seed: 1 },
    );
    expect(ours.executionMatch).not.toBe(report.executionMatch);
  }, 60_000);
});

/** The queries of a file in `test/data` on made-up databases of Spider's schemas, round-tripped. */
async function unseen(
  file: string,
  onKeptMiss?: (dbId: string, sql: string) => void,
  tablesDir = SPIDER,
) {
  await initSqlParser();
  const SQL = await initSqlJs();
  const items = JSON.parse(readFileSync(join(ROOT, 'test/data', file), 'utf8')) as {
    db_id: string;
    query: string;
  }[];
  const tables = JSON.parse(
    readFileSync(join(tablesDir, 'tables.json'), 'utf8'),
  ) as TablesJsonEntry[];
  const list = items.map((d) => ({ dbId: d.db_id, sql: d.query }));
  return {
    alone: await syntheticRoundtrip(SQL, list, tables, { seed: 1 }),
    // As the fast preset compiles a corrected trajectory: with the keys the SQL joined on.
    kept: await syntheticRoundtrip(SQL, list, tables, { seed: 1, keepJoins: true }, onKeptMiss),
    tables,
  };
}

describe('SQL → SR → SQL on schemas nothing was tuned on (test/data/spider-unseen-schemas*.json)', () => {
  // Alone, 6 of the misses were joins of tables no key connects (student_1, company_1) until
  // SR wrote such a join's condition as a filter (199/216 before, 205 after).
  it('gives the same result for at least 94% of 216 queries, 95% with their own join keys', async () => {
    const { alone, kept } = await unseen('spider-unseen-schemas.json');
    expect(alone.total).toBe(216);
    expect(alone.goldRuns).toBe(216);
    expect(alone.executionMatch / alone.total).toBeGreaterThanOrEqual(0.94);
    expect(kept.executionMatch).toBeGreaterThan(alone.executionMatch);
    expect(kept.executionMatch / kept.total).toBeGreaterThanOrEqual(0.95);
  }, 60_000);

  // Written apart from the tool, by helper agents given the schemas alone (test/data/README.md).
  it.each([
    ['spider-unseen-schemas-2.json', 120],
    ['spider-unseen-schemas-3.json', 144],
    ['spider-unseen-schemas-4.json', 144],
    ['spider-unseen-schemas-5.json', 144],
    ['spider-unseen-schemas-7.json', 144],
    ['spider-unseen-schemas-10.json', 144],
    ['spider-unseen-schemas-11.json', 192],
  ])(
    'gives the same result for 95 in 100 or more of %s (%i queries), with or without their keys',
    async (file, count) => {
      const { alone, kept } = await unseen(file);
      expect(alone.total).toBe(count);
      expect(alone.goldRuns).toBe(count);
      expect(alone.executionMatch / alone.total).toBeGreaterThanOrEqual(0.95);
      expect(kept.executionMatch / kept.total).toBeGreaterThanOrEqual(0.95);
    },
    60_000,
  );

  // Every query a LEFT JOIN (counts with zeros, rows with no match, conditions in the ON,
  // chains, CTEs joined back or joining inside), on 12 schemas no set had used for them,
  // written after SR could say a LEFT JOIN: 26 alone and 78 with the keys on the code before.
  it('gives the same result for all 96 of spider-unseen-schemas-left-joins.json, alone and with their keys', async () => {
    const { alone, kept } = await unseen('spider-unseen-schemas-left-joins.json');
    expect(alone.total).toBe(96);
    expect(alone.goldRuns).toBe(96);
    expect(alone.executionMatch).toBe(96);
    expect(kept.executionMatch).toBe(96);
  }, 60_000);

  // Spider 2.0's SQLite databases (spider2sqlite's tables.json), most declaring no keys, as many
  // SQLite files people have. Each row: file, queries, least share alone, least with the keys.
  it.each([
    // Ordinary questions on the 16 without keys: 125/128 alone before a join names would route
    // through a third table was stated.
    ['spider2-keyless-schemas.json', 128, 98, 97],
    // The other 14, most declaring keys, some joined on links they do not declare: 104/112
    // alone before such a join was stated and a join inside IN that only filters was kept,
    // 106 before a stated equality joined before a key (a team's captain); left are ties under
    // LIMIT 1 and which of two keys or bridges.
    ['spider2-other-schemas.json', 112, 95, 97],
    // BIRD's style (ratios, years, subqueries, a CTE or two) on all 30: 110/120 before a
    // ratio's COUNT(c) kept its column and attribute columns stopped joining.
    ['spider2-bird-style.json', 120, 95, 95],
    // SQL's finer semantics (no match, ties, best per group, "every"): 73 alone and 82 with
    // keys before joins inside EXISTS were kept and the middle of a double NOT EXISTS was
    // joined there, 78 and 87 before a join ON a = x OR b = x was kept, 80 alone before SR
    // said a LEFT JOIN (`leftjoin`). Left are mostly ties.
    ['spider2-finer-semantics.json', 96, 93, 93],
    // SQLite's dialect variety (quoting, USING, positions, exponents, …): 85 alone and 88 with
    // keys before a set operation's ORDER BY t.x, a list inside an expression, 1e9, USING and
    // casts in joins were read, 91 alone before SR said a LEFT JOIN.
    ['spider2-dialects.json', 96, 95, 93],
    // Wrong SQL, as a correction receives it (wrong keys, joins without a condition, COUNT(*)
    // for COUNT(DISTINCT …), = NULL, …): 79 alone and 90 with keys before a stated equality
    // joined before a declared key and a key of several columns joined on all of them, 86
    // alone before SR said a LEFT JOIN. Left
    // are joins without a condition (reported as lost), a needless join alone, and with the
    // keys a column neither grouped nor aggregated (SQLite's pick of a row differs).
    ['spider2-wrong-sql.json', 96, 90, 93],
  ])(
    'gives the same result for %s (%i queries): %i in 100 alone, %i with their keys',
    async (file, count, aloneShare, keptShare) => {
      const { alone, kept } = await unseen(file, undefined, SPIDER2SQLITE);
      expect(alone.total).toBe(count);
      expect(alone.goldRuns).toBe(count);
      expect(alone.executionMatch / alone.total).toBeGreaterThanOrEqual(aloneShare / 100);
      expect(kept.executionMatch / kept.total).toBeGreaterThanOrEqual(keptShare / 100);
    },
    60_000,
  );

  // SQL as GPT-4o writes it (CTEs, windows, CASE, LEFT JOIN for rows with no match): 114
  // alone before SR said a LEFT JOIN (`leftjoin`, 24 of the 30 misses), 138 before it said
  // the rest of its ON. What is left are mostly ties under ORDER BY.
  it('gives the same result for 96 in 100 of spider-unseen-schemas-6.json alone, 96 with their keys', async () => {
    const { alone, kept } = await unseen('spider-unseen-schemas-6.json');
    expect(alone.total).toBe(144);
    expect(alone.goldRuns).toBe(144);
    expect(alone.executionMatch / alone.total).toBeGreaterThanOrEqual(0.96);
    expect(kept.executionMatch / kept.total).toBeGreaterThanOrEqual(0.96);
  }, 60_000);

  // SQL whose meaning hinges on SQL's finer semantics (rows with no match, counts with zeros,
  // all ties, the best per group by a correlated subquery, relational division, NULLs): 127
  // alone before SR said a LEFT JOIN that keeps rows with zeros; with the SQL's keys, every
  // query that does not come back the same is one SQL → SR reports as lost or approximated.
  it('gives the same result for 97 in 100 of spider-unseen-schemas-9.json alone, 97 with their keys, and reports every miss with the keys', async () => {
    const misses: { dbId: string; sql: string }[] = [];
    const { alone, kept, tables } = await unseen('spider-unseen-schemas-9.json', (dbId, sql) =>
      misses.push({ dbId, sql }),
    );
    expect(alone.total).toBe(144);
    expect(alone.goldRuns).toBe(144);
    expect(alone.executionMatch / alone.total).toBeGreaterThanOrEqual(0.97);
    expect(kept.executionMatch / kept.total).toBeGreaterThanOrEqual(0.97);
    const silent = misses.filter((m) => {
      const r = sqlToSr(parseSql(m.sql), schemaForDb(tables, m.dbId));
      return r.lossy.length === 0 && r.approximations.length === 0;
    });
    expect(silent).toEqual([]);
  }, 60_000);

  // Wrong SQL as models write it (wrong keys, missing join conditions, missing DISTINCT…), the
  // SQL a correction receives: alone (114 before a stated equality joined before a declared
  // key) SR cannot say a join without a condition nor one that only repeats rows; with the
  // SQL's keys, every query that does not come back the same is one SQL → SR reports as lost.
  it('gives the same result for 85 in 100 of spider-unseen-schemas-8.json alone, 92 with their keys, and reports every miss with the keys', async () => {
    const misses: { dbId: string; sql: string }[] = [];
    const { alone, kept, tables } = await unseen('spider-unseen-schemas-8.json', (dbId, sql) =>
      misses.push({ dbId, sql }),
    );
    expect(alone.total).toBe(144);
    expect(alone.goldRuns).toBe(144);
    expect(alone.executionMatch / alone.total).toBeGreaterThanOrEqual(0.85);
    expect(kept.executionMatch / kept.total).toBeGreaterThanOrEqual(0.92);
    expect(misses.length).toBe(kept.total - kept.executionMatch);
    const silent = misses.filter(
      (m) => sqlToSr(parseSql(m.sql), schemaForDb(tables, m.dbId)).lossy.length === 0,
    );
    expect(silent).toEqual([]);
  }, 60_000);
});
