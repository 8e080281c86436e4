import type { ReferenceSet } from '../reference/reference-set';
import { schemaForDb } from '../schema/from-tables-json';
import type { Schema } from '../schema/schema';
import { extractSr } from '../share/extract';
import { stripBirdSuffix } from '../share/item';
import { STAGES, type StageName } from '../share/stages';
import { checkSqlSyntax, parseSql } from '../sql/parse';
import { srExactlyEqual, stepSimilarity } from './compare';
import { sqlToSr } from './from-sql';
import { maskSr, schemaReferencesIn } from './mask';
import { parseSr } from './parse';
import { indexSchema, type SchemaIndex } from './schema-names';

/** What `sr-bench` reports (the shape is part of the CLI's contract). */
export interface SrBenchReport {
  parse: { sql: { total: number; ok: number }; sr: { total: number; ok: number } };
  mask: { compared: number; exactVsModel: number; complete: number };
  sqlToSr: { compared: number; exact: number; stepSimilarity: number };
}

/** One item where our result differs from the model's, for `--verbose` output. */
export interface SrBenchMiss {
  idx: number;
  kind: 'sql-parse' | 'sr-parse' | 'mask' | 'mask-incomplete' | 'sql-to-sr';
  stage?: StageName;
  detail: string;
}

const SR_STAGES: StageName[] = STAGES.filter((s) => s !== 'generator');

/**
 * Measures the deterministic toolkit against a recorded SHARE run:
 * - parse: every initial SQL through the SQL parser (syntax); every recorded SR (the extracted block
 *   of every stage-1..4 response that has one) through the SR parser;
 * - mask: our masking of each recorded stage-1 SR against the recorded stage-2 SR (exact =
 *   equal after trimming lines and dropping blank ones), and how many of ours are complete;
 * - sqlToSr: our SR of each initial SQL against the recorded stage-1 SR (exact, and mean
 *   step similarity 2·LCS/(|a|+|b|) over normalized lines).
 * Requires `initSqlParser()` to have finished.
 */
export function runSrBench(ref: ReferenceSet, onMiss?: (miss: SrBenchMiss) => void): SrBenchReport {
  const schemas = new Map<string, { schema: Schema; index: SchemaIndex } | null>();
  const schemaFor = (dbId: string) => {
    if (!schemas.has(dbId)) {
      try {
        const schema = schemaForDb(ref.tables, dbId);
        schemas.set(dbId, { schema, index: indexSchema(schema) });
      } catch {
        schemas.set(dbId, null);
      }
    }
    return schemas.get(dbId) ?? undefined;
  };
  const report: SrBenchReport = {
    parse: { sql: { total: 0, ok: 0 }, sr: { total: 0, ok: 0 } },
    mask: { compared: 0, exactVsModel: 0, complete: 0 },
    sqlToSr: { compared: 0, exact: 0, stepSimilarity: 0 },
  };
  let similaritySum = 0;
  for (const item of ref.items) {
    const s = schemaFor(item.dbId);
    const sql = stripBirdSuffix(item.initialSql);
    report.parse.sql.total++;
    const syntax = checkSqlSyntax(sql);
    if (syntax.ok) report.parse.sql.ok++;
    else onMiss?.({ idx: item.idx, kind: 'sql-parse', detail: syntax.message });
    let parsed: ReturnType<typeof parseSql> | undefined;
    try {
      parsed = parseSql(sql);
    } catch (error) {
      if (syntax.ok)
        onMiss?.({ idx: item.idx, kind: 'sql-to-sr', detail: (error as Error).message });
    }

    for (const stage of SR_STAGES) {
      const response = ref.stages.get(stage)?.get(item.idx)?.response;
      const sr = response === undefined ? '' : extractSr(response);
      if (!sr) continue;
      report.parse.sr.total++;
      const result = parseSr(sr, s ? { names: s.index.lexerNames } : {});
      if (result.errors.length === 0) report.parse.sr.ok++;
      else onMiss?.({ idx: item.idx, kind: 'sr-parse', stage, detail: result.errors[0]!.message });
    }

    const original = ref.stages.get('bam')?.get(item.idx)?.response;
    const recordedSr = original === undefined ? '' : extractSr(original);
    if (!recordedSr || !s) continue;

    const maskedResponse = ref.stages.get('mask')?.get(item.idx)?.response;
    if (maskedResponse !== undefined) {
      const ours = maskSr(recordedSr, s.index).masked;
      report.mask.compared++;
      const left = schemaReferencesIn(ours, s.index);
      if (left.length === 0) report.mask.complete++;
      else onMiss?.({ idx: item.idx, kind: 'mask-incomplete', detail: left.join(', ') });
      if (srExactlyEqual(ours, extractSr(maskedResponse))) report.mask.exactVsModel++;
      else onMiss?.({ idx: item.idx, kind: 'mask', detail: ours });
    }

    report.sqlToSr.compared++;
    let ours = '';
    if (parsed) {
      try {
        ours = sqlToSr(parsed, s.schema).sr;
      } catch (error) {
        onMiss?.({ idx: item.idx, kind: 'sql-to-sr', detail: (error as Error).message });
      }
    }
    if (srExactlyEqual(ours, recordedSr)) report.sqlToSr.exact++;
    else onMiss?.({ idx: item.idx, kind: 'sql-to-sr', detail: ours });
    similaritySum += stepSimilarity(ours, recordedSr);
  }
  report.sqlToSr.stepSimilarity =
    report.sqlToSr.compared === 0
      ? 0
      : Math.round((similaritySum / report.sqlToSr.compared) * 10000) / 10000;
  return report;
}
