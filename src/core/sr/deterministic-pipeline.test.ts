import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type Database } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPIDER, SPIDER2SQLITE } from '../../../test/paths';
import type { ChatChunk, ChatEngine, ChatRequest } from '../engine/chat-engine';
import { ReplayEngine } from '../engine/replay';
import { recordingOf } from '../reference/conformance';
import { parseReferenceSet } from '../reference/reference-set';
import { schemaForDb } from '../schema/from-tables-json';
import type { Schema } from '../schema/schema';
import { type ShareItem, stripBirdSuffix } from '../share/item';
import {
  type CorrectionResult,
  correct,
  FAST_OPTIONS,
  type PipelineOptions,
} from '../share/pipeline';
import { initSqlParser, parseSql } from '../sql/parse';
import { sqlToSr } from './from-sql';
import { maskSr } from './mask';
import { indexSchema } from './schema-names';
import { srToSql } from './to-sql';

const FILES = [
  'dev.json',
  'tables.json',
  'baseline_sql.json',
  'column_meaning.json',
  'original_traj.jsonl',
  'masked_traj.jsonl',
  'intermediate_traj.jsonl',
  'final_traj.jsonl',
];
const ref = parseReferenceSet(
  'spider2sqlite',
  new Map(FILES.map((f) => [f, readFileSync(join(SPIDER2SQLITE, f), 'utf8')])),
);
const models = { bam: 'bam', sam: 'sam', lom: 'lom', generator: 'gen' };

/** Replays recorded answers and remembers which stages asked a model. */
class CountingEngine implements ChatEngine {
  readonly stages: string[] = [];
  constructor(private readonly inner: ChatEngine) {}
  chat(req: ChatRequest): AsyncIterable<ChatChunk> {
    this.stages.push(String(req.meta?.stage));
    if (req.meta?.stage === 'generator') {
      return (async function* () {
        yield { type: 'delta' as const, text: '```sqlite\nSELECT 1\n```' };
        yield { type: 'done' as const };
      })();
    }
    return this.inner.chat(req);
  }
}

/** Runs one correction to its end: the result, or the error message. */
async function correctItem(
  item: ShareItem,
  engine: ChatEngine,
  options?: PipelineOptions,
  schema = schemaForDb(ref.tables, item.dbId),
  withModels: typeof models | Omit<typeof models, 'generator'> = models,
  checkSql?: (sql: string) => Promise<string | undefined>,
) {
  let result: CorrectionResult | undefined;
  let error: string | undefined;
  for await (const e of correct(item, {
    engine,
    schema,
    models: withModels,
    options,
    checkSql,
  })) {
    if (e.type === 'result') result = e.result;
    if (e.type === 'error') error = e.message;
  }
  return { result, error };
}

async function run(options?: PipelineOptions, idx?: number) {
  const item = ref.items.find((i) => i.idx === idx) ?? ref.items[0]!;
  const engine = new CountingEngine(new ReplayEngine(recordingOf(ref)));
  return { ...(await correctItem(item, engine, options)), stages: engine.stages, item };
}

/** Runs the fast preset with SAM and LOM answering the given SRs. */
async function runScripted(
  idx: number | ShareItem,
  answers: { sam: string; lom: string; generator?: string },
  schema?: Schema,
  withGenerator = true,
  checkSql?: (sql: string) => Promise<string | undefined>,
) {
  const stages: string[] = [];
  const engine: ChatEngine = {
    chat(req: ChatRequest): AsyncIterable<ChatChunk> {
      const stage = String(req.meta?.stage);
      stages.push(stage);
      const text =
        stage === 'sam' || stage === 'lom' || stage === 'generator'
          ? (answers[stage] ?? 'no answer')
          : 'no answer';
      const fence = stage === 'generator' ? 'sqlite' : 'SR';
      return (async function* () {
        yield { type: 'delta' as const, text: `\`\`\`${fence}\n${text}\n\`\`\`` };
        yield { type: 'done' as const };
      })();
    },
  };
  const item = typeof idx === 'number' ? ref.items.find((i) => i.idx === idx)! : idx;
  const { generator: _, ...withoutGenerator } = models;
  const used = withGenerator ? models : withoutGenerator;
  return { ...(await correctItem(item, engine, FAST_OPTIONS, schema, used, checkSql)), stages };
}

/** An item on a Spider database (schema from Spider's tables.json), to correct with scripted answers. */
function spiderItem(dbId: string, question: string, initialSql: string) {
  const tables = JSON.parse(readFileSync(join(SPIDER, 'tables.json'), 'utf8'));
  const item: ShareItem = { idx: 0, dbId, question, evidence: '', initialSql };
  return { schema: schemaForDb(tables, dbId), item };
}

/**
 * Runs the fast preset on `item` with LOM answering its trajectory changed by `edit`, and
 * checks that stage 5 compiled the answer without a model.
 */
async function correctedBy(
  item: ShareItem,
  schema: Schema,
  edit: (sr: string) => string,
  withGenerator = true,
) {
  const sr = sqlToSr(parseSql(item.initialSql), schema).sr;
  const corrected = edit(sr);
  expect(corrected).not.toBe(sr);
  const { result, error } = await runScripted(
    item,
    { sam: sr, lom: corrected },
    schema,
    withGenerator,
  );
  expect(error).toBeUndefined();
  expect(result!.ranOn.generator).toBe('deterministic');
  return { sr, corrected, finalSql: result!.finalSql!, notes: result!.notes };
}

/** Runs `use` with the rows of queries on Spider's database `dbId` (and the database itself). */
async function onSpiderDb(
  dbId: string,
  use: (rows: (sql: string) => unknown[][], db: Database) => void | Promise<void>,
): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(join(SPIDER, `database/${dbId}/${dbId}.sqlite`)));
  try {
    await use((sql) => db.exec(sql)[0]?.values ?? [], db);
  } finally {
    db.close();
  }
}

/** The first item whose SQL our parser reads and whose SR compiles back, so stage 1 and 5 can run without models. */
function readable() {
  return ref.items.find((i) => {
    try {
      const schema = schemaForDb(ref.tables, i.dbId);
      return srToSql(sqlToSr(parseSql(stripBirdSuffix(i.initialSql)), schema).sr, schema).ok;
    } catch {
      return false;
    }
  })!;
}

beforeAll(() => initSqlParser());

describe('pipeline stage options', () => {
  it('by default runs every stage on its model and saves nothing', async () => {
    const { result, stages } = await run();
    expect(stages).toEqual(['bam', 'mask', 'sam', 'lom', 'generator']);
    expect(result!.ranOn).toEqual({
      bam: 'model',
      mask: 'model',
      sam: 'model',
      lom: 'model',
      generator: 'model',
    });
    expect(result!.estimatedTokensSaved).toBe(0);
  });

  it('the fast preset asks models only for SAM and LOM, and reports where stages ran', async () => {
    // An item whose SQL our parser reads, so stage 1 can run without BAM.
    const item = readable();
    const { result, stages, error } = await run(FAST_OPTIONS, item.idx);
    expect(error).toBeUndefined();
    expect(stages.filter((s) => s === 'bam' || s === 'mask')).toEqual([]);
    expect(result!.ranOn.bam).toBe('deterministic');
    expect(result!.ranOn.mask).toBe('deterministic');
    expect(result!.ranOn.sam).toBe('model');
    expect(result!.estimatedTokensSaved).toBeGreaterThan(100);
    const [bam, mask] = result!.stages;
    expect(bam!.model).toBe('deterministic');
    const index = indexSchema(schemaForDb(ref.tables, item.dbId));
    expect(mask!.extracted).toBe(maskSr(bam!.extracted, index).masked);
    // Stage 5 either compiled the corrected SR or says why and falls back to the generator.
    if (result!.ranOn.generator === 'deterministic')
      expect(result!.finalSql).toMatch(/^SELECT|^WITH/);
    else expect(result!.notes.some((n) => n.startsWith('generator:'))).toBe(true);
  });

  it('keeps the SQL as written when SAM and LOM hand the trajectory back unchanged', async () => {
    const item = readable();
    const schema = schemaForDb(ref.tables, item.dbId);
    const sr = sqlToSr(parseSql(stripBirdSuffix(item.initialSql)), schema).sr;
    const unchanged = await runScripted(item.idx, { sam: sr, lom: `${sr}\n` });
    expect(unchanged.error).toBeUndefined();
    expect(unchanged.stages).toEqual(['sam', 'lom']);
    expect(unchanged.result!.ranOn.generator).toBe('deterministic');
    expect(unchanged.result!.finalSql).toBe(stripBirdSuffix(item.initialSql).trim());
    expect(unchanged.result!.notes).toContain(
      'generator: the corrected trajectory is the one read from the SQL; the SQL is kept as written',
    );
    // A corrected step is compiled: the SQL is no longer the one written.
    const lines = sr.split('\n');
    const changed = [...lines.slice(0, -1), `${lines.at(-1)}.limit(3)`].join('\n');
    const corrected = await runScripted(item.idx, { sam: sr, lom: changed });
    expect(corrected.result!.finalSql).toBeDefined();
    expect(corrected.result!.finalSql).not.toBe(stripBirdSuffix(item.initialSql).trim());
    expect(corrected.result!.finalSql).toMatch(/LIMIT 3\s*$/);
  });

  it('compiles a corrected trajectory with the joins of the SQL it corrects', async () => {
    // Spider's wedding: a wedding points to two people. The trajectory does not say which one
    // the user joined; the SQL does, and the compiled correction keeps it.
    const { schema, item } = spiderItem(
      'wedding',
      'Which years had weddings of brides from Canada?',
      "SELECT T1.Year FROM wedding AS T1 JOIN people AS T2 ON T1.Female_ID = T2.People_ID WHERE T2.Country = 'Canada'",
    );
    const { corrected, finalSql } = await correctedBy(item, schema, (sr) =>
      sr.replace('.select(wedding.Year)', '.select(wedding.Year).distinct()'),
    );
    expect(finalSql).toMatch(/^SELECT DISTINCT/);
    expect(finalSql).toContain('Female_ID');
    expect(finalSql).not.toContain('Male_ID');
    // Without the SQL's joins the schema decides, and takes the key that comes first.
    const alone = srToSql(corrected, schema);
    expect(alone.ok && alone.sql).toContain('Male_ID');
  });

  it('joins again a table the SQL joined only for what it does to the rows', async () => {
    // Spider's concert_singer: a stadium's name once per concert held there. The trajectory
    // names no column of concert; compiled from it alone, every stadium would come back once.
    const { schema, item } = spiderItem(
      'concert_singer',
      'Name the stadium of each concert held in a stadium for more than 10000 people.',
      'SELECT T1.Name FROM stadium AS T1 JOIN concert AS T2 ON T1.Stadium_ID = T2.Stadium_ID WHERE T1.Capacity > 10000',
    );
    const { sr, corrected, finalSql } = await correctedBy(
      item,
      schema,
      (sr) => sr.replace("'> 10000'", "'> 3000'"),
      false,
    );
    expect(sr).not.toContain('concert');
    await onSpiderDb('concert_singer', (rows) => {
      const names = (sql: string) =>
        rows(sql)
          .map((r) => String(r[0]))
          .sort();
      const intended = names(item.initialSql.replace('> 10000', '> 3000'));
      expect(intended).toHaveLength(6);
      expect(names(finalSql)).toEqual(intended);
      // From the trajectory alone: the stadiums without a concert too, each once.
      const alone = srToSql(corrected, schema);
      expect(alone.ok && names(alone.sql)).toHaveLength(8);
    });
  });

  it('says so when it joins on a key the schema does not declare', async () => {
    // Spider's loan_1 declares only the branch keys; a loan names its customer by cust_ID.
    const { schema, item } = spiderItem(
      'loan_1',
      'What are the names of customers with a loan over 3000?',
      'SELECT amount FROM loan WHERE amount > 3000',
    );
    const { finalSql, notes } = await correctedBy(item, schema, (sr) =>
      sr.replace('select(loan.amount)', 'select(customer.cust_name)'),
    );
    expect(finalSql).toContain('JOIN customer ON loan.cust_ID = customer.cust_ID');
    expect(notes).toContain(
      'generator: joined on loan.cust_ID = customer.cust_ID: the schema declares no such key, the column names suggest it',
    );
    // A declared key is not worth a note.
    const declared = spiderItem('loan_1', 'Which banks lend over 3000?', item.initialSql);
    const bank = await correctedBy(declared.item, declared.schema, (sr) =>
      sr.replace('select(loan.amount)', 'select(bank.bname)'),
    );
    expect(bank.finalSql).toContain('loan.branch_ID = bank.branch_ID');
    expect(bank.notes.filter((n) => n.includes('joined on'))).toEqual([]);
  });

  it('says which steps of the corrected trajectory the SQL leaves out', async () => {
    // A correction that adds a filter step but continues from the step before it.
    const { schema, item } = spiderItem(
      'concert_singer',
      'How many French singers are older than 30?',
      "SELECT count(*) FROM singer WHERE Country = 'France'",
    );
    const { finalSql, notes } = await correctedBy(item, schema, (sr) =>
      sr.replace(/^(df1 = .*)$/m, "$1\ndf2 = df1.where(element = singer.Age, filter = '> 30')"),
    );
    expect(finalSql).not.toContain('Age');
    expect(notes).toContain(
      'generator: the result reads no step df2 (line 2) of the corrected trajectory: the SQL does not say what it says',
    );
    // Read by the result, the step is in the SQL and worth no note.
    const used = await correctedBy(item, schema, (sr) =>
      sr.replace(/^df1 = (.*)$/m, "df1 = $1.where(element = singer.Age, filter = '> 30')"),
    );
    expect(used.finalSql).toContain('Age > 30');
    expect(used.notes.filter((n) => n.includes('reads no step'))).toEqual([]);
  });

  it('does not compile a correction of SQL that reads one table in two roles', async () => {
    // Spider's flight_2: a flight has a source and a destination airport. The trajectory names
    // both AIRPORTS; compiled back it would lose which city is which.
    const { schema, item } = spiderItem(
      'flight_2',
      'How many flights go from Aberdeen to Ashley?',
      'SELECT count(*) FROM FLIGHTS AS T1 JOIN AIRPORTS AS T2 ON T1.DestAirport = T2.AirportCode ' +
        "JOIN AIRPORTS AS T3 ON T1.SourceAirport = T3.AirportCode WHERE T2.City = 'Ashley' AND T3.City = 'Aberdeen'",
    );
    const read = sqlToSr(parseSql(item.initialSql), schema);
    expect(read.lossy).toEqual(['2 copies of AIRPORTS (T2, T3), both named AIRPORTS']);
    const corrected = read.sr.replace("'Ashley'", "'Abilene'");
    expect(corrected).not.toBe(read.sr);
    const reason =
      "(its trajectory only approximates the SQL's 2 copies of AIRPORTS (T2, T3), both named AIRPORTS, and the SQL compiled from it would answer another question)";
    // With a generator, the generator writes the SQL.
    const generated = 'SELECT 42';
    const withGen = await runScripted(
      item,
      { sam: read.sr, lom: corrected, generator: generated },
      schema,
    );
    expect(withGen.error).toBeUndefined();
    expect(withGen.stages).toEqual(['sam', 'lom', 'generator']);
    expect(withGen.result!.ranOn.generator).toBe('model');
    expect(withGen.result!.finalSql).toBe(generated);
    expect(withGen.result!.notes).toContain(
      `generator: deterministic stage not possible ${reason}; ran the model instead`,
    );
    expect(withGen.result!.notes).toContain(
      'bam: approximated 2 copies of AIRPORTS (T2, T3), both named AIRPORTS',
    );
    // Without one, no SQL rather than SQL that answers another question; the reason is given.
    const alone = await runScripted(item, { sam: read.sr, lom: corrected }, schema, false);
    expect(alone.error).toBeUndefined();
    expect(alone.result!.finalSql).toBeUndefined();
    expect(alone.result!.notes).toContain(
      `generator: the corrected trajectory is not compiled to SQL ${reason}`,
    );
    // Unchanged, the SQL is kept as written, roles and all.
    const unchanged = await runScripted(item, { sam: read.sr, lom: read.sr }, schema, false);
    expect(unchanged.result!.finalSql).toBe(item.initialSql);
  });

  it('keeps the LEFT JOIN of the SQL it corrects, and with it the rows nothing joins', async () => {
    // Spider's concert_singer: four of its nine stadiums held no concert.
    const { schema, item } = spiderItem(
      'concert_singer',
      'How many concerts did each stadium hold?',
      'SELECT T1.Name, COUNT(T2.concert_ID) FROM stadium AS T1 LEFT JOIN concert AS T2 ' +
        'ON T1.Stadium_ID = T2.Stadium_ID GROUP BY T1.Stadium_ID',
    );
    const ordered = (sr: string) =>
      sr.replace(/\nres = /, '.orderby(by = count(concert.concert_ID), desc)\nres = ');
    // The trajectory says the LEFT JOIN; a model may drop that step, the SQL's keys still
    // say it.
    const dropped = (sr: string) =>
      ordered(sr).replace(/^df1 = df\.leftjoin\([^\n]*\)\ndf2 = df1\./, 'df2 = df.');
    const said = await correctedBy(item, schema, ordered);
    expect(said.sr).toMatch(/^df1 = df\.leftjoin\(concert, /);
    const unsaid = await correctedBy(item, schema, dropped);
    expect(unsaid.corrected).not.toMatch(/leftjoin/);
    await onSpiderDb('concert_singer', (rows) => {
      for (const { corrected, finalSql } of [said, unsaid]) {
        const counts = rows(finalSql).map((r) => r[1]);
        expect(counts).toEqual([...counts].sort((a, b) => Number(b) - Number(a)));
        expect(counts.filter((n) => n === 0)).toHaveLength(4);
        expect(rows(finalSql)).toHaveLength(rows(item.initialSql).length);
        // Without the SQL's joins, only a trajectory that says the LEFT JOIN keeps the
        // stadiums with no concert.
        const alone = srToSql(corrected, schema);
        expect(alone.ok && rows(alone.sql)).toHaveLength(corrected === said.corrected ? 9 : 5);
      }
    });
  });

  it('never returns compiled SQL that SQLite rejects, given a check against the database', async () => {
    // An average of a LAG() compiles (every name is in the schema) but SQLite refuses a
    // window function inside an aggregate.
    const { schema, item } = spiderItem(
      'concert_singer',
      'What is the average age of singers older than 30?',
      'SELECT avg(Age) FROM singer WHERE Age > 30',
    );
    const read = sqlToSr(parseSql(item.initialSql), schema).sr;
    const corrected = read.replace(
      /res = (\w+)\.select\(.*\)$/,
      'res = $1.select(avg(singer.Age - lag(singer.Age, by = singer.Singer_ID)))',
    );
    expect(corrected).not.toBe(read);
    const compiled = srToSql(corrected, schema);
    expect(compiled.ok).toBe(true);
    await onSpiderDb('concert_singer', async (_rows, db) => {
      const checked: string[] = [];
      const checkSql = async (sql: string) => {
        checked.push(sql);
        try {
          db.prepare(sql).free();
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      };
      const reason = '(SQLite rejects the SQL it compiles to: misuse of window function LAG())';
      // Without a check the SQL goes out, and fails only when it is run.
      const unchecked = await runScripted(item, { sam: read, lom: corrected }, schema, false);
      expect(unchecked.result!.finalSql).toBe(compiled.ok && compiled.sql);
      // With a generator, the generator writes the SQL instead.
      const withGen = await runScripted(
        item,
        { sam: read, lom: corrected, generator: 'SELECT 42' },
        schema,
        true,
        checkSql,
      );
      expect(withGen.stages).toEqual(['sam', 'lom', 'generator']);
      expect(withGen.result!.finalSql).toBe('SELECT 42');
      expect(withGen.result!.notes).toContain(
        `generator: deterministic stage not possible ${reason}; ran the model instead`,
      );
      // Without one, no SQL, and the reason.
      const alone = await runScripted(item, { sam: read, lom: corrected }, schema, false, checkSql);
      expect(alone.result!.finalSql).toBeUndefined();
      expect(alone.result!.notes).toContain(
        `generator: the corrected trajectory is not compiled to SQL ${reason}`,
      );
      // SQL that SQLite accepts passes; SQL kept as written is not checked at all.
      checked.length = 0;
      const fine = await runScripted(
        item,
        { sam: read, lom: read.replace("'> 30'", "'> 40'") },
        schema,
        false,
        checkSql,
      );
      expect(fine.result!.finalSql).toMatch(/> 40/);
      expect(checked).toEqual([fine.result!.finalSql]);
      const kept = await runScripted(item, { sam: read, lom: read }, schema, false, checkSql);
      expect(kept.result!.finalSql).toBe(item.initialSql);
      expect(checked).toHaveLength(1);
      // A check that fails cannot tell: the compiled SQL goes out as without one.
      const broken = await runScripted(item, { sam: read, lom: corrected }, schema, false, () =>
        Promise.reject(new Error('the database worker was restarted')),
      );
      expect(broken.result!.finalSql).toBe(unchecked.result!.finalSql);
    });
  });

  it('falls back to BAM when the SQL cannot be read, and says so', async () => {
    const bad = ref.items.find((i) => {
      try {
        parseSql(stripBirdSuffix(i.initialSql));
        return false;
      } catch {
        return true;
      }
    })!;
    const { result, stages } = await run({ sqlToSr: 'deterministic' }, bad.idx);
    expect(stages[0]).toBe('bam');
    expect(result!.ranOn.bam).toBe('model');
    expect(result!.notes[0]).toMatch(/^bam: deterministic stage not possible/);
  });
});
