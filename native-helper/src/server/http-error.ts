import type { ErrorBody, ErrorCode } from '../protocol';

/** A refusal a route or hook throws; the error handler answers it with `status` and an `ErrorBody`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
