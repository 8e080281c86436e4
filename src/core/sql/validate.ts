import { isKeyBetween, type Schema } from '../schema/schema';
import { analyzeSql, joinKeysOf, type SchemaProblem, type SqlAnalysis } from './analyze';
import type { SqlExpr, SqlQuery } from './ast';
import { parseSql } from './parse';
import { quoteName } from './print';
import { walkQuery } from './walk';

/** The part of a sql.js `Database` validation needs (a worker proxy can stand in). */
export interface SqliteLike {
  prepare(sql: string): { free(): unknown };
  exec(sql: string, params?: (string | number | null)[]): { values: unknown[][] }[];
}

/**
 * Asks SQLite itself whether `sql` is valid on this database (`prepare` compiles without
 * running): syntax errors and unknown names come back as SQLite's own message.
 */
export function checkWithSqlite(
  db: Pick<SqliteLike, 'prepare'>,
  sql: string,
): { ok: true } | { ok: false; message: string } {
  try {
    db.prepare(sql).free();
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A literal compared with a column where it never occurs, and the columns that hold it. */
export interface ValueHint {
  /** `table.column` the query compares with. */
  column: string;
  value: string;
  message: string;
  /** `table.column` where the value does occur. */
  foundIn: string[];
}

/** SQL checked against a schema (and, when given, the database's data). */
export interface SqlValidation {
  /** Set when the SQL does not parse; nothing else is then known. */
  syntaxError?: string;
  analysis?: SqlAnalysis;
  problems: SchemaProblem[];
  valueHints: ValueHint[];
}

/**
 * Checks SQL against a schema: unknown tables and columns with suggestions by edit
 * distance; given a database, string literals compared with a column they never occur in,
 * with the columns of the query's tables (then of the whole schema) where they do occur.
 */
export function validateSql(
  sql: string,
  schema: Schema,
  db?: Pick<SqliteLike, 'exec'>,
): SqlValidation {
  let query: SqlQuery;
  try {
    query = parseSql(sql);
  } catch (error) {
    return { syntaxError: (error as Error).message, problems: [], valueHints: [] };
  }
  const analysis = analyzeSql(query, schema);
  const valueHints = db ? literalHints(query, analysis, schema, db) : [];
  return { analysis, problems: analysis.problems, valueHints };
}

function literalHints(
  query: SqlQuery,
  analysis: SqlAnalysis,
  schema: Schema,
  db: Pick<SqliteLike, 'exec'>,
): ValueHint[] {
  const search = valueHintSearch(query, analysis, schema);
  let step = search.next();
  while (!step.done) step = search.next(step.value.map((c) => occursIn(db, c)));
  return step.value;
}

/** Whether `value` occurs in `table.column` (an exact lookup; false when the query fails). */
export function occursIn(db: Pick<SqliteLike, 'exec'>, check: ValueCheck): boolean {
  try {
    const rows = db.exec(
      `SELECT 1 FROM ${quoteName(check.table)} WHERE ${quoteName(check.column)} = ? LIMIT 1`,
      [check.value],
    );
    return (rows[0]?.values.length ?? 0) > 0;
  } catch {
    return false;
  }
}

/** One lookup of the value-hint search: does `value` occur in `table.column`? */
export interface ValueCheck {
  table: string;
  column: string;
  value: string;
}

/**
 * Value hints with lookups answered asynchronously (the app's database lives in a worker).
 * `occurs` answers a batch of checks: true, false, or null when it could not tell (a table
 * too large to scan, a time budget spent); a hint is only given on a definite false.
 */
export async function valueHintsAsync(
  sql: string,
  schema: Schema,
  occurs: (checks: ValueCheck[]) => Promise<(boolean | null)[]>,
): Promise<ValueHint[]> {
  let query: SqlQuery;
  try {
    query = parseSql(sql);
  } catch {
    return [];
  }
  const search = valueHintSearch(query, analyzeSql(query, schema), schema);
  let step = search.next();
  while (!step.done) step = search.next(await occurs(step.value));
  return step.value;
}

/**
 * The search behind value hints, as batches of lookups (yielded) whose answers come back
 * in: first each string literal compared with a column (`=`), in its own column; for those
 * not found, the text columns of the query's tables; for those still not found anywhere,
 * the text columns of the other tables (the first 5 that hold it). At most 10 literals.
 * An unknown answer (null) counts as found in its own column and as not found elsewhere.
 */
export function* valueHintSearch(
  query: SqlQuery,
  analysis: SqlAnalysis,
  schema: Schema,
): Generator<ValueCheck[], ValueHint[], (boolean | null)[]> {
  const compared: ValueCheck[] = [];
  const seen = new Set<string>();
  walkQuery(query, (e: SqlExpr) => {
    if (e.k !== 'binary' || e.op !== '=') return;
    const [col, lit] = e.left.k === 'column' ? [e.left, e.right] : [e.right, e.left];
    if (col.k !== 'column' || lit.k !== 'literal' || lit.type !== 'string') return;
    const r = analysis.resolve(col);
    if (r?.kind !== 'table') return;
    const key = `${r.table}.${r.column}=${lit.value}`;
    if (seen.has(key) || compared.length >= 10) return;
    seen.add(key);
    compared.push({ table: r.table, column: r.column, value: lit.value });
  });
  if (!compared.length) return [];
  const own = yield compared;
  const missing = compared.filter((_, i) => own[i] === false);
  if (!missing.length) return [];
  const textColumns = (tables: string[]) =>
    schema.tables
      .filter((t) => tables.includes(t.name))
      .flatMap((t) =>
        t.columns
          .filter((c) => c.type === '' || /char|text|clob|string/i.test(c.type))
          .map((c) => [t.name, c.name] as const),
      );
  /** For each literal, the columns among `columns` that hold it (one batch for all). */
  function* lookIn(
    literals: ValueCheck[],
    columns: (l: ValueCheck) => (readonly [string, string])[],
  ): Generator<ValueCheck[], string[][], (boolean | null)[]> {
    const checks = literals.map((l) =>
      columns(l).map(([table, column]) => ({ table, column, value: l.value })),
    );
    const answers = yield checks.flat();
    let at = 0;
    return checks.map((list) =>
      list.filter(() => answers[at++] === true).map((c) => `${c.table}.${c.column}`),
    );
  }
  const found = yield* lookIn(missing, (l) =>
    textColumns(analysis.tables).filter(([t, c]) => !(t === l.table && c === l.column)),
  );
  const others = schema.tables.map((t) => t.name).filter((t) => !analysis.tables.includes(t));
  const nowhere = missing.filter((_, i) => found[i]!.length === 0);
  const elsewhere = nowhere.length ? yield* lookIn(nowhere, () => textColumns(others)) : [];
  return missing.map((l, i) => {
    const j = nowhere.indexOf(l);
    const foundIn = j >= 0 ? elsewhere[j]!.slice(0, 5) : found[i]!;
    const where = `${l.table}.${l.column}`;
    return {
      column: where,
      value: l.value,
      foundIn,
      message: foundIn.length
        ? `'${l.value}' never occurs in ${where}; it occurs in ${foundIn.join(', ')}`
        : `'${l.value}' never occurs in ${where}`,
    };
  });
}

/**
 * Joins on columns no foreign key links, between two tables the schema does declare a key
 * between (`company.Company_ID = station_company.Station_ID` where the key is
 * `station_company.Company_ID → company.Company_ID`): a wrong key is among the commonest
 * mistakes of generated SQL. Tables with no declared key between them are not judged.
 */
export function offKeyJoins(analysis: SqlAnalysis, schema: Schema): string[] {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const out: string[] = [];
  for (const k of joinKeysOf(analysis)) {
    const from = { table: k.fromTable, column: k.fromColumn };
    const to = { table: k.toTable, column: k.toColumn };
    if (isKeyBetween(schema.foreignKeys, from, to, true)) continue;
    const declared = schema.foreignKeys.filter(
      (f) =>
        (same(f.fromTable, k.fromTable) && same(f.toTable, k.toTable)) ||
        (same(f.fromTable, k.toTable) && same(f.toTable, k.fromTable)),
    );
    if (!declared.length) continue;
    const keys = declared
      .slice(0, 3)
      .map((f) => `${f.fromTable}.${f.fromColumn} → ${f.toTable}.${f.toColumn}`);
    if (declared.length > 3) keys.push(`${declared.length - 3} more`);
    out.push(
      `${k.fromTable}.${k.fromColumn} = ${k.toTable}.${k.toColumn} joins ${k.fromTable} and ${k.toTable} on columns no foreign key links; the schema's ${declared.length > 1 ? 'keys are' : 'key is'} ${keys.join(', ')}`,
    );
  }
  return out;
}
