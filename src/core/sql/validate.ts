import type { Schema } from '../schema/schema';
import { analyzeSql, type SchemaProblem, type SqlAnalysis } from './analyze';
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
  const hints: ValueHint[] = [];
  const seen = new Set<string>();
  const occurs = (table: string, column: string, value: string): boolean => {
    try {
      const rows = db.exec(
        `SELECT 1 FROM ${quoteName(table)} WHERE ${quoteName(column)} = ? LIMIT 1`,
        [value],
      );
      return (rows[0]?.values.length ?? 0) > 0;
    } catch {
      return false;
    }
  };
  const textColumns = (tables: string[]) =>
    schema.tables
      .filter((t) => tables.includes(t.name))
      .flatMap((t) =>
        t.columns
          .filter((c) => c.type === '' || /char|text|clob|string/i.test(c.type))
          .map((c) => [t.name, c.name] as const),
      );
  const visit = (e: SqlExpr) => {
    if (e.k !== 'binary' || e.op !== '=') return;
    const [col, lit] = e.left.k === 'column' ? [e.left, e.right] : [e.right, e.left];
    if (col.k !== 'column' || lit.k !== 'literal' || lit.type !== 'string') return;
    const r = analysis.resolve(col);
    if (r?.kind !== 'table') return;
    const key = `${r.table}.${r.column}=${lit.value}`;
    if (seen.has(key) || hints.length >= 10) return;
    seen.add(key);
    if (occurs(r.table, r.column, lit.value)) return;
    let foundIn = textColumns(analysis.tables)
      .filter(([t, c]) => !(t === r.table && c === r.column) && occurs(t, c, lit.value))
      .map(([t, c]) => `${t}.${c}`);
    if (!foundIn.length) {
      const others = schema.tables.map((t) => t.name).filter((t) => !analysis.tables.includes(t));
      foundIn = textColumns(others)
        .filter(([t, c]) => occurs(t, c, lit.value))
        .slice(0, 5)
        .map(([t, c]) => `${t}.${c}`);
    }
    hints.push({
      column: `${r.table}.${r.column}`,
      value: lit.value,
      foundIn,
      message: foundIn.length
        ? `'${lit.value}' never occurs in ${r.table}.${r.column}; it occurs in ${foundIn.join(', ')}`
        : `'${lit.value}' never occurs in ${r.table}.${r.column}`,
    });
  };
  walkQuery(query, visit);
  return hints;
}
