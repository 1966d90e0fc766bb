/**
 * The one error vocabulary of Concord. Every HTTP error body, socket ack and
 * Yjs close reason uses these codes; the server maps each to a status once.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'VERSION_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'IMPORT_FAILED',
  /** A one-time link (invitation) that was already used. */
  'LINK_USED',
  /** A one-time link (invitation) past its expiry. */
  'LINK_EXPIRED',
  'SETUP_REQUIRED',
  /** Readiness: the database, its migrations or Redis are not ready (503; the message names which). */
  'NOT_READY',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429 | 500 | 503> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VERSION_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  IMPORT_FAILED: 400,
  LINK_USED: 410,
  LINK_EXPIRED: 410,
  SETUP_REQUIRED: 409,
  NOT_READY: 503,
  INTERNAL: 500,
};

/** One problem found in the input, e.g. a CSV row or a JSON path. */
export interface ErrorDetail {
  path?: (string | number)[];
  row?: number;
  column?: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: ErrorDetail[];
    requestId?: string;
  };
}
