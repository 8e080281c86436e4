import type { Schema } from '../schema/schema';
import { analyzeSql, type JoinKey, joinKeysOf } from '../sql/analyze';
import { sqlToSr } from './from-sql';
import { maskSr } from './mask';
import { indexSchema } from './schema-names';
import { srToSql } from './to-sql';

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

/**
 * Stage 5 without a generator: the corrected trajectory compiled to SQL. Given the SQL being
 * corrected, its joins are kept where the trajectory still joins the same tables (SR does
 * not say which key a join used: `winner_id` or `loser_id`, through `disp` or not).
 */
export async function deterministicSrToSql(
  sr: string,
  schema: Schema,
  originalSql?: string,
): Promise<DeterministicOutcome> {
  const result = srToSql(sr, schema, { joinKeys: await joinKeysOfSql(originalSql, schema) });
  return result.ok
    ? { ok: true, output: result.sql, notes: [] }
    : { ok: false, reason: result.error.message };
}

/** The keys `sql` joins on, or none when there is no SQL or it does not parse. */
async function joinKeysOfSql(sql: string | undefined, schema: Schema): Promise<JoinKey[]> {
  if (!sql?.trim()) return [];
  const { initSqlParser, parseSql } = await import('../sql/parse');
  await initSqlParser();
  try {
    return joinKeysOf(analyzeSql(parseSql(sql), schema));
  } catch {
    return [];
  }
}

/** A rough count of model tokens for text (about four characters per token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
