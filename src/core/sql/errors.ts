/** SQL text is not a query we can read; the message is the parser's, for the user. */
export class SqlParseError extends Error {
  override readonly name = 'SqlParseError';
}

/** The SQL parses but uses a construct our representation does not model. */
export class SqlUnsupportedError extends Error {
  override readonly name = 'SqlUnsupportedError';
  constructor(readonly construct: string) {
    super(`not supported: ${construct}`);
  }
}
