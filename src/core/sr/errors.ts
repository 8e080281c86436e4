/** SR text could not be read; the message names the line and what was expected. */
export class SrSyntaxError extends Error {
  override readonly name = 'SrSyntaxError';
  constructor(
    message: string,
    /** 1-based line of the problem. */
    readonly line: number,
    /** Offset into the SR text. */
    readonly offset: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** An SR step cannot be turned into SQL; the message names the step and the construct. */
export class SrCompileError extends Error {
  override readonly name = 'SrCompileError';
  constructor(
    message: string,
    /** 1-based line of the step, when known. */
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}
