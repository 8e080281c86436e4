import { createStore, del, get, set } from 'idb-keyval';

/** The database kept in IndexedDB so a reload reopens it; the original file is never written. */
export interface StoredDatabase {
  name: string;
  bytes: Uint8Array;
  savedAt: string;
}

const store = createStore('share-web', 'databases');
const KEY = 'current';

export async function saveDatabase(name: string, bytes: Uint8Array): Promise<void> {
  await set(
    KEY,
    { name, bytes, savedAt: new Date().toISOString() } satisfies StoredDatabase,
    store,
  );
}

export async function loadDatabase(): Promise<StoredDatabase | undefined> {
  const stored = (await get(KEY, store)) as StoredDatabase | undefined;
  return stored?.bytes instanceof Uint8Array ? stored : undefined;
}

export async function forgetDatabase(): Promise<void> {
  await del(KEY, store);
}
