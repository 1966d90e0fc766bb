import { ERROR_CODES, type ErrorBody, type ErrorCode, type ErrorDetail } from '@concord/shared';

/** An error response from the API, carrying the server's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** The problems the server listed (e.g. an import's rows and columns). */
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Reads the API's error body (`{"error":{"code","message"}}`). Anything else (a proxy's
 * HTML page, an empty body) still becomes an ApiError with a message a person can act on.
 */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as Partial<ErrorBody> | null)?.error;
  if (error && typeof error.message === 'string' && error.message.length > 0) {
    return new ApiError(status, isErrorCode(error.code) ? error.code : 'INTERNAL', error.message, Array.isArray(error.details) ? error.details : []);
  }
  if (status === 401) return new ApiError(status, 'UNAUTHENTICATED', 'You are not signed in.');
  if (status === 403) return new ApiError(status, 'FORBIDDEN', 'You may not do this.');
  if (status === 404) return new ApiError(status, 'NOT_FOUND', 'Not found.');
  return new ApiError(status, 'INTERNAL', `The server answered with status ${status}.`);
}

/** A message for any thrown value: the API's own words when there are some. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return 'Something went wrong.';
}
