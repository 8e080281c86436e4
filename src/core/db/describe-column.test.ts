import { describe, expect, it } from 'vitest';
import type { Schema } from '../schema/schema';
import {
  columnMeaningsFor,
  describeFromProfile,
  meaningsFromBirdCsv,
  parseCsv,
} from './describe-column';

const schema: Schema = {
  dbId: 'shop',
  tables: [
    {
      name: 'orders',
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'status', type: 'TEXT' },
      ],
      primaryKey: ['id'],
    },
  ],
  foreignKeys: [],
};

describe('column descriptions', () => {
  it('parses quoted CSV fields with commas, quotes and newlines', () => {
    expect(parseCsv('a,b\r\n"x, ""y""","multi\nline"\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'multi\nline'],
    ]);
  });

  it('reads a BIRD database_description CSV, skipping empty and nan parts', () => {
    const csv =
      '\uFEFForiginal_column_name,column_name,column_description,data_format,value_description\n' +
      'status,order status,"state of the order",text,"P: pending, S: shipped"\n' +
      'id,,,integer,nan\n';
    const m = meaningsFromBirdCsv(csv, 'shop', 'orders');
    expect([...m]).toEqual([['shop|orders|status', 'state of the order | P: pending, S: shipped']]);
    expect(() => meaningsFromBirdCsv('a,b\n1,2\n', 'shop', 'orders')).toThrow(
      /original_column_name/,
    );
  });

  it('prefers edits, then imports, then profiles; profiles only when given', () => {
    const profile = {
      table: 'orders',
      column: 'status',
      type: 'TEXT',
      rowsScanned: 10,
      nonNull: 9,
      distinct: 2,
      examples: ['P', 'S'],
    };
    expect(describeFromProfile(profile)).toBe(
      'TEXT; 2 distinct of 9 non-null values (in 10 rows); e.g. "P", "S"',
    );
    const imported = new Map([['shop|orders|id', 'order number']]);
    const edits = new Map([['shop|orders|id', 'the order id']]);
    expect([...columnMeaningsFor(schema, { edits: new Map(), imported })]).toEqual([
      ['shop|orders|id', 'order number'],
    ]);
    const all = columnMeaningsFor(schema, { edits, imported, profiles: { orders: [profile] } });
    expect(all.get('shop|orders|id')).toBe('the order id');
    expect(all.get('shop|orders|status')).toMatch(/^TEXT; 2 distinct/);
  });
});
