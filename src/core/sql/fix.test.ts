import type { Database } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSpiderDb, spiderDev, spiderTables } from '../../../test/support/spider';
import { schemaForDb } from '../schema/from-tables-json';
import { analyzeSql, type SchemaProblem } from './analyze';
import { applySuggestion } from './fix';
import { initSqlParser, parseSql } from './parse';

const tables = spiderTables();
const dev = spiderDev();
const schema = schemaForDb(tables, 'concert_singer');
let db: Database;

beforeAll(async () => {
  await initSqlParser();
  db = await openSpiderDb('concert_singer');
});
afterAll(() => db.close());

const problems = (sql: string): SchemaProblem[] => analyzeSql(parseSql(sql), schema).problems;

/** The SQL with its first problem fixed by the suggestion `pick`, checked to leave none. */
function fixed(sql: string, pick: string): string | undefined {
  const [problem] = problems(sql);
  expect(problem!.suggestions).toContain(pick);
  const out = applySuggestion(sql, problem!, pick);
  if (out !== undefined) expect(problems(out)).toEqual([]);
  return out;
}

describe('applySuggestion', () => {
  it('replaces a qualified column everywhere it is written so, never in strings or comments', () => {
    const sql =
      "SELECT s.Nmae FROM singer s WHERE s.Nmae LIKE '%s.Nmae%' -- s.Nmae\nORDER BY s . Nmae";
    expect(fixed(sql, 's.Name')).toBe(
      "SELECT s.Name FROM singer s WHERE s.Name LIKE '%s.Nmae%' -- s.Nmae\nORDER BY s . Name",
    );
  });

  it('replaces an unqualified column, a table with its uses as a qualifier, and a qualifier', () => {
    expect(fixed('SELECT Nmae, max(Age) FROM singer GROUP BY nmae', 'Name')).toBe(
      'SELECT Name, max(Age) FROM singer GROUP BY Name',
    );
    expect(fixed('SELECT singr.Name FROM singr WHERE singr.Age > 30', 'singer')).toBe(
      'SELECT singer.Name FROM singer WHERE singer.Age > 30',
    );
    expect(fixed('SELECT T9.Name, T9.* FROM singer AS T1', 'T1')).toBe(
      'SELECT T1.Name, T1.* FROM singer AS T1',
    );
  });

  it('keeps the quotes the name was written with, and quotes a name that needs them', () => {
    expect(fixed('SELECT `Nmae` FROM singer', 'Name')).toBe('SELECT `Name` FROM singer');
    expect(fixed('SELECT [s].[Nmae] FROM singer s', 's.Name')).toBe(
      'SELECT [s].[Name] FROM singer s',
    );
  });

  it('offers no fix for an ambiguous column, whose suggestions name the tables as the query does', () => {
    const sql = 'SELECT Stadium_ID FROM concert c JOIN stadium s ON c.Stadium_ID = s.Stadium_ID';
    const [problem] = problems(sql);
    expect(problem!.kind).toBe('ambiguous-column');
    expect(problem!.suggestions).toEqual(['c.Stadium_ID', 's.Stadium_ID']);
    // Either, written in the SQL's place, runs: the tables are known by their aliases here.
    for (const s of problem!.suggestions) db.exec(sql.replace('SELECT Stadium_ID', `SELECT ${s}`));
    expect(applySuggestion(sql, problem!, problem!.suggestions[0]!)).toBeUndefined();
    const typo = problems('SELECT Nmae FROM singer')[0]!;
    expect(applySuggestion('SELECT Nmae FROM singer', typo, 'Age')).toBeUndefined();
  });

  it('undoes every misspelt column of every Spider gold query: the rows of the gold SQL again', async () => {
    const databases = new Map<string, Database>();
    let checked = 0;
    try {
      for (const { db_id, query } of dev) {
        const s = schemaForDb(tables, db_id);
        const found = (sql: string) => analyzeSql(parseSql(sql), s).problems;
        let d = databases.get(db_id);
        if (!d) {
          d = await openSpiderDb(db_id);
          databases.set(db_id, d);
        }
        const rows = (sql: string) => JSON.stringify(d.exec(sql).map((r) => r.values));
        expect(found(query), query).toEqual([]);
        for (const [, column] of analyzeSql(parseSql(query), s).columns) {
          // Every use of the column misspelt, as a user might: an extra letter.
          const typo = query.replace(new RegExp(`\\b${column}\\b`, 'gi'), `${column}x`);
          const misspelt = (sql: string) =>
            found(sql).find((p) => p.ref.name.toLowerCase() === `${column}x`.toLowerCase());
          // One problem per qualifier it is written with (`T1.x`, `T2.x`): fixed in turn.
          let out = typo;
          for (let problem = misspelt(out); problem; problem = misspelt(out)) {
            const wanted = [column, `${problem.ref.qualifier}.${column}`].map((x) =>
              x.toLowerCase(),
            );
            const pick = problem.suggestions.find((x) => wanted.includes(x.toLowerCase()));
            expect(pick, out).toBeDefined();
            const next = applySuggestion(out, problem, pick!);
            expect(next, out).toBeDefined();
            out = next!;
          }
          if (out === typo) continue; // written only in ways the rewrite above missed
          expect(found(out), out).toEqual([]);
          expect(rows(out), out).toBe(rows(query));
          checked++;
        }
      }
    } finally {
      for (const d of databases.values()) d.close();
    }
    expect(checked).toBeGreaterThan(1700);
  });
});
