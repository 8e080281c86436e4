import { beforeAll, describe, expect, it } from 'vitest';
import { openSpiderDb, spiderTables } from '../../../test/support/spider';
import { schemaForDb } from '../schema/from-tables-json';
import { initSqlParser } from '../sql/parse';
import { analyzeForApp } from './analyze-for-app';

const tables = spiderTables();
const schema = schemaForDb(tables, 'concert_singer');

beforeAll(() => initSqlParser());

describe('analyzeForApp', () => {
  it('gives the trajectory, the schema elements read and no problems for good SQL', () => {
    const a = analyzeForApp('SELECT T1.Name FROM singer AS T1 WHERE T1.Age > 30', schema);
    expect(a.syntaxError).toBeUndefined();
    expect(a.trajectory).toBe(
      "df1 = df.where(element = singer.Age, filter = '> 30')\nres = df1.select(singer.Name)",
    );
    expect(a.columns).toEqual(['singer.Name', 'singer.Age']);
    expect(a.problems).toEqual([]);
  });

  it('reports schema problems and literal values found elsewhere, with a database', async () => {
    const db = await openSpiderDb('concert_singer');
    const country = String(db.exec('SELECT Country FROM singer LIMIT 1')[0]!.values[0]![0]);
    const a = analyzeForApp(`SELECT Nme FROM singer WHERE Name = '${country}'`, schema, db);
    db.close();
    expect(a.problems.map((p) => p.suggestions)).toContainEqual(['Name']);
    expect(a.valueHints[0]?.foundIn).toContain('singer.Country');
    expect(a.trajectory).toContain('singer.Name');
  });

  it('points out a join on columns no foreign key links, naming the schema’s key', () => {
    const wrong = analyzeForApp(
      'SELECT T2.Name FROM concert AS T1 JOIN stadium AS T2 ON T1.concert_ID = T2.Stadium_ID',
      schema,
    );
    expect(wrong.joinHints).toEqual([
      "concert.concert_ID = stadium.Stadium_ID joins concert and stadium on columns no foreign key links; the schema's key is concert.Stadium_ID → stadium.Stadium_ID",
    ]);
    const right = analyzeForApp(
      'SELECT T2.Name FROM concert AS T1 JOIN stadium AS T2 ON T2.Stadium_ID = T1.Stadium_ID',
      schema,
    );
    expect(right.joinHints).toEqual([]);
    // Between tables the schema declares no key for, any join is the user's call.
    const unjudged = analyzeForApp(
      'SELECT T1.Name FROM singer AS T1 JOIN stadium AS T2 ON T1.Singer_ID = T2.Stadium_ID',
      schema,
    );
    expect(unjudged.joinHints).toEqual([]);
  });

  it('reports a syntax error instead of throwing', () => {
    const a = analyzeForApp('SELECT FROM WHERE', schema);
    expect(a.syntaxError).toBeTruthy();
    expect(a.trajectory).toBeUndefined();
  });
});
