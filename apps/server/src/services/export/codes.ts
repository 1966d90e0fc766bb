/**
 * Numeric codes for the matrix exports (R irr, krippendorffsalpha, SPSS KALPHA), which
 * read numbers only. One rule, listed in the codebook CSV's `code` column:
 * - single choice: the option's position in the codebook, 1..k; N/A is k+1 (a category);
 * - ordinal scale: the scale point's own value; N/A is missing (it is no scale point);
 * - number: the number; N/A is missing.
 * As in the reliability API, values that no longer fit the codebook are missing.
 * Multiple-choice and text fields have no numeric code.
 */
import { checkValue, isNa, type CodingValue, type FieldDefinition } from '@concord/shared';
import { AppError } from '../../errors.ts';

export interface CodeEntry {
  code: number;
  value: string;
  label: string;
}

/** The labelled codes of a field (choice options and N/A, or scale points); [] for numbers. */
export function codeTable(field: FieldDefinition): CodeEntry[] {
  switch (field.type) {
    case 'single_choice':
    case 'multiple_choice': {
      const entries = field.options.map((o, i) => ({ code: i + 1, value: o.value, label: o.label }));
      return field.allowNa ? [...entries, { code: field.options.length + 1, value: 'NA', label: 'Not applicable' }] : entries;
    }
    case 'ordinal':
      return field.scale.map((p) => ({ code: p.value, value: String(p.value), label: p.label }));
    default:
      return [];
  }
}

export function assertNumericField(field: FieldDefinition): void {
  if (field.type === 'multiple_choice' || field.type === 'text' || field.type === 'link') {
    const kind = field.type === 'text' ? 'free text' : field.type === 'link' ? 'a set of actors' : 'multiple choice';
    throw new AppError(
      'VALIDATION_FAILED',
      `field "${field.key}" is ${kind} and has no numeric code; use the long or tidycomm export`,
      [{ path: ['field'], message: 'needs a single choice, ordinal or number field' }],
    );
  }
}

/** The numeric code of a value, or null (missing). */
export function numericCode(field: FieldDefinition, value: CodingValue | undefined): number | null {
  if (value === undefined || checkValue(field, value) !== null) return null;
  if (isNa(value)) return field.type === 'single_choice' ? field.options.length + 1 : null;
  if (field.type === 'single_choice') return field.options.findIndex((o) => o.value === value) + 1;
  return typeof value === 'number' ? value : null;
}
