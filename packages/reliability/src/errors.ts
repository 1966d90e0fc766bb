/**
 * One error type for the whole package. Messages follow one grammar:
 * `<measure or parser> requires <condition>, <what was found>`; positional
 * problems in a CSV carry 1-based `line` and `column` and start with
 * `line L, column C: `.
 */
export type ReliabilityErrorCode =
  | 'INVALID_ARGUMENT'
  | 'TOO_FEW_CODERS'
  | 'TOO_MANY_CODERS'
  | 'NOT_A_NUMBER'
  | 'NEGATIVE_VALUE'
  | 'UNKNOWN_CATEGORY'
  | 'DUPLICATE_CATEGORY'
  | 'DUPLICATE_CODING'
  | 'RAGGED_ROW'
  | 'EMPTY_INPUT'
  | 'UNTERMINATED_QUOTE'
  | 'SET_VALUE_NOT_ALLOWED'
  | 'MISSING_COLUMN'
  | 'AMBIGUOUS_LAYOUT'
  | 'MULTIPLE_FIELDS'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_OPTION'
  | 'INVALID_OPTION';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export class ReliabilityError extends Error {
  override readonly name = 'ReliabilityError';
  readonly code: ReliabilityErrorCode;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: ReliabilityErrorCode, message: string, position?: SourcePosition) {
    super(position ? `line ${position.line}, column ${position.column}: ${message}` : message);
    this.code = code;
    this.line = position?.line;
    this.column = position?.column;
  }
}

export function isReliabilityError(error: unknown): error is ReliabilityError {
  return error instanceof ReliabilityError;
}
