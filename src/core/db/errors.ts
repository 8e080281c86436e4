/** Base class of database failures; `message` is written for the user. */
export class DbError extends Error {
  override name = 'DbError';
}

/** The file could not be opened as a SQLite database (empty, not SQLite, truncated, …). */
export class DbOpenError extends DbError {
  override name = 'DbOpenError';
}

/** A statement was refused before it ran (not a single read-only SELECT/WITH statement). */
export class QueryRefusedError extends DbError {
  override name = 'QueryRefusedError';
}

/** A query ran past its time limit and was stopped (the database was reopened). */
export class QueryTimeoutError extends DbError {
  override name = 'QueryTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(
      `the query did not finish within ${timeoutMs / 1000} s and was stopped; the database was reopened`,
    );
  }
}

/** SQLite itself rejected or failed the query (syntax, unknown name, …). */
export class QueryError extends DbError {
  override name = 'QueryError';
}
