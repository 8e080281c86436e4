import type { Database } from 'sql.js';
import { decodeUtf8, type PyRow, type PyValue, Utf8DecodeError } from './py-value';
import type { TextMode } from './sql-runner';

/** The sql.js Statement methods we use (its published types lack `getBlob` and `get`'s config). */
interface RawStatement {
  step(): boolean;
  get(params: null, config: { useBigInt: boolean }): unknown[];
  getBlob(column: number): Uint8Array;
  free(): boolean;
}

/** A query failed the way Python's `cursor.execute` + `fetchall` would fail. */
export class PyExecError extends Error {
  override name = 'PyExecError';
}

/**
 * Python's `lstrip_sql` (CPython `Modules/_sqlite/statement.c`): what remains after
 * whitespace and comments; '' when nothing does (an unterminated comment counts as one).
 */
export function afterSpaceAndComments(sql: string): string {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') i++;
    else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i + 2);
      if (nl < 0) return '';
      i = nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return '';
      i = end + 2;
    } else return sql.slice(i);
  }
  return '';
}

/** Whether a statement can change the database (anything but SELECT, WITH, VALUES). */
export function mayWrite(sql: string): boolean {
  return !/^(select|with|values)\b/i.test(afterSpaceAndComments(sql.replace(/^[\s;]+/, '')));
}

/**
 * Runs one query on a sql.js database and fetches all rows as Python's `sqlite3` returns
 * them: INTEGER → bigint, REAL → number, TEXT → string decoded by `text`, BLOB → bytes,
 * NULL → null. Like Python, more than one statement is an error; an empty query gives [].
 */
export function executeLikePython(db: Database, sql: string, text: TextMode): PyRow[] {
  if (sql.includes('\0')) throw new PyExecError('the query contains a null character');
  const iterator = db.iterateStatements(sql);
  let stmt: RawStatement;
  try {
    const first = iterator.next();
    if (first.done) return [];
    stmt = first.value as unknown as RawStatement;
  } catch (error) {
    throw new PyExecError((error as Error).message);
  }
  try {
    if (afterSpaceAndComments(iterator.getRemainingSQL()) !== '') {
      throw new PyExecError('You can only execute one statement at a time.');
    }
    const rows: PyRow[] = [];
    while (stmt.step()) {
      const raw = stmt.get(null, { useBigInt: true }) as PyValue[];
      for (let i = 0; i < raw.length; i++) {
        const v = raw[i];
        // sql.js decodes text leniently (and stops at a NUL): re-read every text value as its
        // bytes and decode it as Python does.
        if (typeof v === 'string') {
          try {
            raw[i] = decodeUtf8(stmt.getBlob(i), text);
          } catch (error) {
            if (error instanceof Utf8DecodeError) {
              throw new PyExecError(`Could not decode to UTF-8 column ${i} with text '${v}'`);
            }
            throw error;
          }
        }
      }
      rows.push(raw);
    }
    // Only spaces and comments remain: this frees the statement and the iterator's SQL copy.
    iterator.next();
    return rows;
  } catch (error) {
    if (error instanceof PyExecError) throw error;
    throw new PyExecError((error as Error).message);
  } finally {
    stmt.free();
  }
}
