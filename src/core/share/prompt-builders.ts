import type { ColumnMeanings } from '../schema/column-meaning';
import { columnMeaningKey } from '../schema/column-meaning';
import { type Schema, type TableColumn, tableColumns } from '../schema/schema';
import { type ShareItem, stage1Sql } from './item';
import { dotted, mentionedColumns } from './mentioned';
import {
  FILL_TEMPLATE,
  MASK_TEMPLATE,
  MODIFY_TEMPLATE,
  SQL2SR_TEMPLATE,
  SR2SQL_TEMPLATE,
} from './prompts';
import { pyRepr } from './python-literal';

/** Substitutes `{name}` placeholders in one pass, so values are never re-substituted. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const backtickIfSpace = (name: string): string => (name.includes(' ') ? `\`${name}\`` : name);
const withoutBackticks = (name: string): string => name.replaceAll('`', '');

/** Stage 1 (BAM, SQL→SR). Schema and SQL both come from the cut initial SQL. */
export function sql2srPrompt(item: ShareItem, schema: Schema): string {
  const sql = stage1Sql(item.initialSql);
  return fillTemplate(SQL2SR_TEMPLATE, {
    schema: pyRepr(dotted(mentionedColumns(schema, sql))),
    sql,
  });
}

/** Stage 2 (BAM, masking) of the SR extracted from stage 1. */
export function maskPrompt(sr: string): string {
  return fillTemplate(MASK_TEMPLATE, { sr });
}

/**
 * Stage 3's full schema: per table in declared order, `### Table: <name>` (bare) and the
 * list of its `table.column` strings (names with a space backticked), blank-line separated.
 */
export function fullSchemaText(schema: Schema): string {
  return schema.tables
    .map((table) => {
      const cols = table.columns.map(
        (c) => `${backtickIfSpace(table.name)}.${backtickIfSpace(c.name)}`,
      );
      return `### Table: ${table.name}\n${pyRepr(cols)}`;
    })
    .join('\n\n');
}

/** Stage 3 (SAM, fill the masks). Highlighted schema = mentioned in the RAW initial SQL. */
export function fillPrompt(item: ShareItem, schema: Schema, maskedSr: string): string {
  const highlighted = mentionedColumns(schema, item.initialSql).map(([t, c]) => [t, c]);
  return fillTemplate(FILL_TEMPLATE, {
    schema: fullSchemaText(schema),
    highlighted_schema: pyRepr(highlighted),
    question: item.question,
    evidence: item.evidence,
    masked_sr: maskedSr,
  });
}

/**
 * The augmented schema: the union of the columns mentioned in the raw initial SQL and in
 * the raw stage-3 response (fences and all). The reference unions Python sets of
 * `table.column` strings (arbitrary order); we keep schema order.
 */
export function augmentedSchema(
  item: ShareItem,
  schema: Schema,
  samResponse: string,
): TableColumn[] {
  const wanted = new Set([
    ...dotted(mentionedColumns(schema, item.initialSql)),
    ...dotted(mentionedColumns(schema, samResponse)),
  ]);
  const result: TableColumn[] = [];
  for (const pair of tableColumns(schema)) {
    const key = `${pair[0]}.${pair[1]}`;
    if (wanted.delete(key)) result.push(pair);
  }
  return result;
}

/**
 * Column-description lines for `pairs`: `# table.column: meaning` (names with a space
 * backticked, one leading `#` of the meaning dropped), columns without a meaning skipped.
 * Quirk kept: an empty meaning is skipped too (the reference's `meaning[0]` raises and the
 * error is swallowed).
 */
export function columnDescriptions(
  dbId: string,
  pairs: readonly TableColumn[],
  meanings: ColumnMeanings,
): string {
  let text = '';
  for (const [table, column] of pairs) {
    const meaning = meanings.get(columnMeaningKey(dbId, table, column));
    if (!meaning) continue;
    const body = meaning.startsWith('#') ? meaning.slice(1) : meaning;
    text += `# ${backtickIfSpace(table)}.${backtickIfSpace(column)}: ${body}\n`;
  }
  return text;
}

/** Stage 4 (LOM, fix the logic): schema names with backticks removed. */
export function modifyPrompt(
  item: ShareItem,
  augmented: readonly TableColumn[],
  meanings: ColumnMeanings,
  sr: string,
): string {
  const processed = augmented.map(
    ([t, c]): TableColumn => [withoutBackticks(t), withoutBackticks(c)],
  );
  return fillTemplate(MODIFY_TEMPLATE, {
    schema: pyRepr(dotted(processed)),
    column_description: columnDescriptions(item.dbId, processed, meanings),
    question: item.question,
    evidence: item.evidence,
    sr,
  });
}

/**
 * The foreign keys as `{"srcTable.srcCol": "dstTable.dstCol"}` in declared order; a later
 * key with the same source overwrites the earlier one's value (Python dict semantics).
 */
export function foreignKeyDict(schema: Schema): Record<string, string> {
  const dict = new Map<string, string>();
  for (const fk of schema.foreignKeys) {
    dict.set(`${fk.fromTable}.${fk.fromColumn}`, `${fk.toTable}.${fk.toColumn}`);
  }
  return Object.fromEntries(dict);
}

/** Stage 5 (generator, SR→SQL): names with a space backticked. */
export function sr2sqlPrompt(
  item: ShareItem,
  schema: Schema,
  augmented: readonly TableColumn[],
  meanings: ColumnMeanings,
  sr: string,
): string {
  return fillTemplate(SR2SQL_TEMPLATE, {
    schema: pyRepr(augmented.map(([t, c]) => `${backtickIfSpace(t)}.${backtickIfSpace(c)}`)),
    fk_dic: pyRepr(foreignKeyDict(schema)),
    column_description: columnDescriptions(item.dbId, augmented, meanings),
    question: item.question,
    evidence: item.evidence,
    sr,
  });
}
