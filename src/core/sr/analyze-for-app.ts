import type { Schema } from '../schema/schema';
import type { SchemaProblem } from '../sql/analyze';
import { offKeyJoins, type SqliteLike, type ValueHint, validateSql } from '../sql/validate';
import { sqlToSr } from './from-sql';

/** What the app shows as soon as SQL is typed, before any model runs. */
export interface AppAnalysis {
  /** The SQL does not parse: the parser's message; everything else is empty. */
  syntaxError?: string;
  /** The deterministic action trajectory of the SQL (BAM's style), when it parses. */
  trajectory?: string;
  /** Constructs the trajectory only approximates (correlated subqueries, windows…). */
  approximations: string[];
  /** Unknown or ambiguous tables and columns, with suggestions. */
  problems: SchemaProblem[];
  /** Literals compared with columns that never hold them (only with a database). */
  valueHints: ValueHint[];
  /** Joins on columns no foreign key links, where the schema declares a key between the tables. */
  joinHints: string[];
  /** Schema tables and `table.column`s the SQL reads (for highlighting). */
  tables: string[];
  columns: string[];
}

/**
 * One call for the app: parse the SQL, check it against the schema (and the data, when a
 * database is given), and write its trajectory. Pure and synchronous once the SQL parser
 * is loaded (`initSqlParser`); never throws for bad SQL.
 */
export function analyzeForApp(
  sql: string,
  schema: Schema,
  db?: Pick<SqliteLike, 'exec'>,
): AppAnalysis {
  const validation = validateSql(sql, schema, db);
  if (validation.syntaxError !== undefined || !validation.analysis) {
    return {
      syntaxError: validation.syntaxError ?? 'the SQL could not be read',
      approximations: [],
      problems: [],
      valueHints: [],
      joinHints: [],
      tables: [],
      columns: [],
    };
  }
  const { analysis } = validation;
  let trajectory: string | undefined;
  let approximations: string[] = [];
  try {
    const result = sqlToSr(analysis.query, schema);
    trajectory = result.sr;
    approximations = result.approximations;
  } catch (error) {
    approximations = [`no trajectory: ${(error as Error).message}`];
  }
  return {
    trajectory,
    approximations,
    problems: validation.problems,
    valueHints: validation.valueHints,
    joinHints: offKeyJoins(analysis, schema),
    tables: analysis.tables,
    columns: analysis.columns.map(([t, c]) => `${t}.${c}`),
  };
}
