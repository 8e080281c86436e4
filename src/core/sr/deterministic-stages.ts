import type { Schema } from '../schema/schema';
import { analyzeSql } from '../sql/analyze';
import { sameSteps } from './compare';
import { sqlToSr } from './from-sql';
import { maskSr } from './mask';
import { indexSchema } from './schema-names';
import { joinsOfSql, type SrToSqlOptions, srToSql } from './to-sql';

/** The outcome of a deterministic stage: its output, or why it could not produce one. */
export type DeterministicOutcome =
  | { ok: true; output: string; notes: string[] }
  | { ok: false; reason: string };

/** Stage 1 without a model: the SQL's trajectory in BAM's style. Loads the SQL parser if needed. */
export async function deterministicSqlToSr(
  sql: string,
  schema: Schema,
): Promise<DeterministicOutcome> {
  // Loaded on first use: the parser is WebAssembly, and pipelines that never run this
  // stage (the default) should not pay for it (in a worker it needs `globalThis.window`).
  const { initSqlParser, parseSql } = await import('../sql/parse');
  await initSqlParser();
  try {
    const result = sqlToSr(parseSql(sql), schema);
    return {
      ok: true,
      output: result.sr,
      notes: result.approximations.map((a) => `approximated ${a}`),
    };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** Stage 2 without a model: every schema reference of the SR replaced by [MASK]. */
export function deterministicMask(sr: string, schema: Schema): DeterministicOutcome {
  if (!sr.trim()) return { ok: false, reason: 'there is no trajectory to mask' };
  return { ok: true, output: maskSr(sr, indexSchema(schema)).masked, notes: [] };
}

/** Why stage 5 kept the SQL it was given (one of its notes). */
export const KEPT_AS_WRITTEN =
  'the corrected trajectory is the one read from the SQL; the SQL is kept as written';

/**
 * Stage 5 without a generator. A trajectory the correction left as it was read from the SQL
 * keeps that SQL as written (compiling it back could only lose something). Otherwise the
 * corrected trajectory is compiled to SQL, keeping the SQL's joins where the trajectory still
 * joins the same tables (SR does not say which key a join used: `winner_id` or `loser_id`,
 * through `disp` or not) and joining again the tables the SQL joined only for what that does
 * to the rows (`account JOIN loan` counting accounts). It is not compiled when the trajectory
 * read from the SQL lost something compiling cannot restore (`SqlToSrResult.lossy`: one
 * table in several roles, a correlated subquery…): the SQL it compiles to would answer
 * another question.
 */
export async function deterministicFinalSql(
  correctedSr: string,
  stage1Sr: string,
  sql: string,
  schema: Schema,
): Promise<DeterministicOutcome> {
  if (sql.trim() && sameSteps(correctedSr, stage1Sr))
    return { ok: true, output: sql.trim(), notes: [KEPT_AS_WRITTEN] };
  const original = await readOriginal(sql, schema);
  if (original.lossy.length) {
    return {
      ok: false,
      reason: `its trajectory only approximates the SQL's ${original.lossy.join('; ')}, and the SQL compiled from it would answer another question`,
    };
  }
  const result = srToSql(correctedSr, schema, original.joins);
  if (!result.ok) return { ok: false, reason: result.error.message };
  const notes: string[] = [];
  if (result.guessedJoins.length)
    notes.push(
      `joined on ${result.guessedJoins.join(', ')}: the schema declares no such key, the column names suggest it`,
    );
  if (result.unusedSteps.length)
    notes.push(
      `the result reads no step ${result.unusedSteps.join(', ')} of the corrected trajectory: the SQL does not say what ${result.unusedSteps.length === 1 ? 'it says' : 'they say'}`,
    );
  return { ok: true, output: result.sql, notes };
}

/**
 * Stage 5's compiled SQL put to SQLite before it is returned: compiling checks names against
 * the schema, not everything SQLite checks (`AVG(LAG(…) OVER …)` compiles, and SQLite
 * refuses a window function inside an aggregate). SQL that SQLite rejects becomes a reason
 * instead, so the caller falls back to the generator or says why there is no SQL. SQL kept
 * as written is the user's own and is not second-guessed; without `check`, or when the check
 * itself fails, nothing changes.
 */
export async function checkedBySqlite(
  outcome: DeterministicOutcome,
  check: ((sql: string) => Promise<string | undefined>) | undefined,
): Promise<DeterministicOutcome> {
  if (!outcome.ok || !check || outcome.notes.includes(KEPT_AS_WRITTEN)) return outcome;
  // A check that fails (the database worker restarting) cannot tell: the SQL goes out as is.
  const rejected = await check(outcome.output).catch(() => undefined);
  return rejected === undefined
    ? outcome
    : { ok: false, reason: `SQLite rejects the SQL it compiles to: ${rejected}` };
}

/**
 * What `sql` says about its joins (`joinsOfSql`) and what its trajectory loses (nothing of
 * either when it does not parse).
 */
async function readOriginal(
  sql: string,
  schema: Schema,
): Promise<{ joins: SrToSqlOptions; lossy: string[] }> {
  if (!sql.trim()) return { joins: {}, lossy: [] };
  const { initSqlParser, parseSql } = await import('../sql/parse');
  await initSqlParser();
  try {
    const query = parseSql(sql);
    const { lossy, rejoin } = sqlToSr(query, schema);
    return { joins: joinsOfSql(analyzeSql(query, schema), rejoin), lossy };
  } catch {
    return { joins: {}, lossy: [] };
  }
}
