import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPIDER } from '../../test/paths';
import type { TablesJsonEntry } from '../core/schema/from-tables-json';
import { SchemaCheck } from './schema-check';

const tables: TablesJsonEntry[] = JSON.parse(readFileSync(join(SPIDER, 'tables.json'), 'utf8'));
const check = new SchemaCheck(tables);
afterAll(() => check.close());

describe('SchemaCheck: SQLite on a schema built empty from tables.json', () => {
  it('accepts what SQLite accepts and gives its message for what it rejects', async () => {
    expect(
      await check.check('concert_singer', 'SELECT avg(Age) FROM singer WHERE Age > 30'),
    ).toBeUndefined();
    expect(await check.check('concert_singer', 'SELECT Height FROM singer')).toBe(
      'no such column: Height',
    );
    expect(
      await check.check(
        'concert_singer',
        'SELECT AVG(Age - LAG(Age) OVER (ORDER BY Singer_ID)) FROM singer',
      ),
    ).toBe('misuse of window function LAG()');
    // Each database has its own tables.
    expect(await check.check('pets_1', 'SELECT count(*) FROM singer')).toBe(
      'no such table: singer',
    );
  });

  it('cannot tell without a schema', async () => {
    expect(await check.check('no_such_db', 'SELECT nothing FROM nowhere')).toBeUndefined();
  });
});
