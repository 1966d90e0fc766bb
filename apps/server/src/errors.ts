import { ERROR_STATUS, type ErrorBody, type ErrorCode, type ErrorDetail } from '@concord/shared';

/** Errors are values with codes; the HTTP boundary turns them into responses, once. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  get status() {
    return ERROR_STATUS[this.code];
  }

  toBody(requestId?: string): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
        ...(requestId ? { requestId } : {}),
      },
    };
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'you may not do this') => new AppError('FORBIDDEN', message);
export const badRequest = (message: string, details?: ErrorDetail[]) => new AppError('VALIDATION_FAILED', message, details);
