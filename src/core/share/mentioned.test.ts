import { describe, expect, it } from 'vitest';
import { schemaFromTablesJson } from '../schema/from-tables-json';
import { dotted, mentionedColumns } from './mentioned';

const schema = schemaFromTablesJson({
  db_id: 'demo',
  table_names_original: ['schools', 'california_schools', 'frpm'],
  column_names_original: [
    [-1, '*'],
    [0, 'id'],
    [0, 'County'],
    [1, 'id'],
    [1, 'paid'],
    [2, 'Free Meal Count (K-12)'],
    [2, 'CDSCode'],
  ],
});

describe('mentionedColumns (substring rule, quirks included)', () => {
  it('matches table and column names as case-sensitive substrings', () => {
    expect(dotted(mentionedColumns(schema, 'SELECT County FROM schools'))).toEqual([
      'schools.County',
    ]);
    expect(mentionedColumns(schema, 'select county from SCHOOLS')).toEqual([]);
  });

  it('over-matches: "schools" inside "california_schools", "id" inside "paid"', () => {
    const got = dotted(mentionedColumns(schema, 'SELECT paid FROM california_schools'));
    expect(got).toEqual(['schools.id', 'california_schools.id', 'california_schools.paid']);
  });

  it('pairs any mentioned column with any mentioned table that has it', () => {
    const got = dotted(
      mentionedColumns(schema, 'SELECT "Free Meal Count (K-12)", CDSCode FROM frpm'),
    );
    expect(got).toEqual(['frpm.Free Meal Count (K-12)', 'frpm.CDSCode']);
  });

  it('needs both the table and the column', () => {
    expect(mentionedColumns(schema, 'SELECT CDSCode')).toEqual([]);
    expect(mentionedColumns(schema, 'FROM frpm')).toEqual([]);
  });
});
