import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import type { TablesJsonEntry } from '../../src/core/schema/from-tables-json';
import { SPIDER } from '../paths';
import { openSqliteFile } from './sqljs';

/** A Spider dev item (the fields tests use). */
export interface SpiderItem {
  db_id: string;
  question: string;
  query: string;
}

/** Spider's schemas (`tables.json` of ../shared/data/spider). */
export const spiderTables = (): TablesJsonEntry[] =>
  JSON.parse(readFileSync(join(SPIDER, 'tables.json'), 'utf8')) as TablesJsonEntry[];

/** Spider's dev items with their gold SQL (`dev.json`). */
export const spiderDev = (): SpiderItem[] =>
  JSON.parse(readFileSync(join(SPIDER, 'dev.json'), 'utf8')) as SpiderItem[];

/** A Spider database opened in sql.js (read into memory; the file is never written). */
export const openSpiderDb = (dbId: string): Promise<Database> =>
  openSqliteFile(join(SPIDER, 'database', dbId, `${dbId}.sqlite`));
