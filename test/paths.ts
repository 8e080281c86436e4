import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** `../shared/data` beside the checkout: real data the tests read (never copied in). */
export const SHARED_DATA = resolve(ROOT, '../shared/data');

export const SPIDER2SQLITE = resolve(SHARED_DATA, 'share-reference/spider2sqlite');
export const BIRD_DEV_EVEN = resolve(SHARED_DATA, 'share-reference/bird-dev-even');
export const SPIDER = resolve(SHARED_DATA, 'spider');
export const CHINOOK = resolve(SHARED_DATA, 'chinook/Chinook_Sqlite.sqlite');
