/** A schema source could not be read; `message` says what and where, for the user. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
}
