/** Base class of engine failures; `message` is written for the user. */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** The server answered with an HTTP error status. */
export class EngineHttpError extends EngineError {
  override name = 'EngineHttpError';
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
  ) {
    super(`${url} answered HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`);
  }
}

/** The server could not be reached, or the connection dropped. */
export class EngineNetworkError extends EngineError {
  override name = 'EngineNetworkError';
}

/** The server's stream or body could not be understood. */
export class EngineProtocolError extends EngineError {
  override name = 'EngineProtocolError';
}

/** A time limit ran out (connect, first token, idle between tokens, or total). */
export class EngineTimeoutError extends EngineError {
  override name = 'EngineTimeoutError';
}

/** The request was cancelled by its AbortSignal. */
export class EngineAbortError extends EngineError {
  override name = 'EngineAbortError';
  constructor() {
    super('cancelled');
  }
}

/** A replay engine has no recorded answer for the request. */
export class ReplayMissingError extends EngineError {
  override name = 'ReplayMissingError';
}
