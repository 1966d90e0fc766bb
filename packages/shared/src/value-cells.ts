/**
 * The inverse of `formatValue`: a CSV cell as the exports write it, read back as a coding
 * value of its field (gold answer keys are uploaded in that form). Checked with `checkValue`.
 */
import { checkValue, NA, type CodingValue } from './values.ts';
import type { FieldDefinition } from './schemas/codebook.ts';

export type CellReading = { ok: true; value: CodingValue | null } | { ok: false; message: string };

/** An empty cell is no value (null); `NA` is N/A; sets are `a|b`, the empty set a lone `|`. */
export function readValueCell(field: FieldDefinition, cell: string): CellReading {
  const raw = field.type === 'text' ? cell : cell.trim();
  if (raw === '') return { ok: true, value: null };
  let value: CodingValue;
  if (raw === 'NA' && field.type !== 'text') value = NA;
  else if (field.type === 'multiple_choice') value = raw === '|' ? [] : raw.split('|').map((s) => s.trim());
  else if (field.type === 'ordinal' || field.type === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n)) return { ok: false, message: `"${raw}" is not a number (field "${field.key}")` };
    value = n;
  } else value = raw;
  const problem = checkValue(field, value);
  return problem ? { ok: false, message: problem } : { ok: true, value };
}

/** Whether two values are the same answer: sets as sets, N/A as N/A. */
export function sameValue(a: CodingValue | null, b: CodingValue | null): boolean {
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const set = new Set(a);
    return b.every((v) => set.has(v));
  }
  if (typeof a === 'object' || typeof b === 'object') return typeof a === 'object' && typeof b === 'object';
  return a === b;
}
