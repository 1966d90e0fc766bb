/**
 * Reading a coder's values from import cells (issue 12, item 7). Pure: a field, a cell and the
 * label -> code map in, a value or a message out. A cell holds labels: one for a single choice
 * or a scale, a comma list for a multiple choice (frames, actors: Airtable's multi-select,
 * read by `parseList`); number and text fields take the cell as it is. Each label maps to a
 * code by the request's value map, else by the suggestion (the code itself, the option's
 * label, or the slug of either, case-insensitively).
 */
import { checkValue, isNa, NA, slugify, type AllowedCode, type CodingValue, type FieldDefinition, type ImportCode } from '@concord/shared';
import { parseList } from './cells.ts';

/** Allowed codes listed in one problem message; the dry run lists them all. */
const LISTED = 25;
/** Labels read as N/A when the field allows it. */
const NA_LABELS = new Set(['n/a', 'na', 'not applicable']);

/** Whether a field's cells are labels mapped to codes (choices and scales), not values as they are. */
export const isMapped = (field: FieldDefinition) => field.type === 'single_choice' || field.type === 'multiple_choice' || field.type === 'ordinal';

/** The codes a field allows, in codebook order (frames with their parent), N/A last when allowed. */
export function allowedCodes(field: FieldDefinition): AllowedCode[] {
  const out: AllowedCode[] =
    field.type === 'single_choice' || field.type === 'multiple_choice'
      ? field.options.map((o) => ({ code: o.value, label: o.label, parent: o.parent }))
      : field.type === 'ordinal'
        ? field.scale.map((p) => ({ code: p.value, label: p.label, parent: null }))
        : [];
  if (isMapped(field) && field.allowNa) out.push({ code: NA, label: 'Not applicable', parent: null });
  return out;
}

const fold = (s: string) => s.trim().toLowerCase();
const slug = (s: string) => slugify(s, [], '');

/** The code a label most plainly names: a code, a label, or the slug of one; N/A for "n/a" when allowed. */
export function suggestCode(field: FieldDefinition, label: string): ImportCode | null {
  const key = fold(label);
  if (!key) return null;
  const codes = allowedCodes(field).filter((a) => !isNa(a.code));
  const by = (test: (a: AllowedCode) => boolean) => codes.find(test)?.code;
  const wanted = slug(label);
  const found =
    by((a) => fold(String(a.code)) === key) ?? by((a) => fold(a.label) === key) ?? (wanted ? by((a) => slug(String(a.code)) === wanted || slug(a.label) === wanted) : undefined);
  if (found !== undefined) return found;
  return field.allowNa && NA_LABELS.has(key) ? NA : null;
}

/** Whether a field's cells are labels: codes to map (isMapped), or a link field's actor names. */
export const hasLabels = (field: FieldDefinition) => isMapped(field) || field.type === 'link';

/** The labels in a cell: a multiple choice's or a link field's list entries, else the trimmed cell (none when blank). */
export function cellLabels(field: FieldDefinition, cell: string): string[] {
  if (!hasLabels(field)) return [];
  if (field.type === 'multiple_choice' || field.type === 'link') return parseList(cell);
  const label = cell.trim();
  return label ? [label] : [];
}

const codeText = (a: AllowedCode) => (isNa(a.code) ? 'NA (not applicable)' : `${String(a.code)} (${a.label}${a.parent ? `, under ${a.parent}` : ''})`);

/** "allowed: high (High), low (Low)", the first LISTED of them. */
export function allowedText(field: FieldDefinition): string {
  const all = allowedCodes(field);
  const shown = all.slice(0, LISTED).map(codeText).join(', ');
  return `allowed: ${shown}${all.length > LISTED ? `, and ${all.length - LISTED} more` : ''}`;
}

/** Whether `code` is one the field allows (a numeric string is read as a scale point). */
export function normalizeCode(field: FieldDefinition, code: ImportCode): ImportCode | null {
  if (isNa(code)) return field.allowNa && isMapped(field) ? NA : null;
  const wanted = field.type === 'ordinal' && typeof code === 'string' && /^-?\d+$/.test(code.trim()) ? Number(code) : code;
  return allowedCodes(field).some((a) => a.code === wanted) ? wanted : null;
}

export type LabelCode = (label: string) => ImportCode | null | undefined;

/**
 * One cell as the field's value: null when it holds nothing (or only labels mapped to null),
 * or a message naming the label that maps to no code and the codes allowed (`unknown` words it
 * for a link field, whose allowed values are the project's actors).
 */
export function readCell(
  field: FieldDefinition,
  cell: string,
  codeOf: LabelCode,
  unknown: (label: string) => string = (label) => `"${label}" is not a value of ${field.label}; map it to a code (${allowedText(field)})`,
): { value: CodingValue | null } | { error: string } {
  const text = cell.trim();
  if (!text) return { value: null };
  if (field.type === 'number') {
    // As written: "1,5" may be a decimal comma or a thousands separator, so it is not guessed.
    const n = Number(text);
    if (!Number.isFinite(n)) return { error: `"${text}" is not a number` };
    const message = checkValue(field, n);
    return message ? { error: message } : { value: n };
  }
  if (field.type === 'text') {
    const message = checkValue(field, cell);
    return message ? { error: message } : { value: cell };
  }
  const codes: ImportCode[] = [];
  for (const label of cellLabels(field, cell)) {
    const code = codeOf(label);
    if (code === undefined) return { error: unknown(label) };
    if (code !== null && !codes.some((c) => JSON.stringify(c) === JSON.stringify(code))) codes.push(code);
  }
  if (!codes.length) return { value: null };
  let value: CodingValue;
  if (field.type === 'link') {
    if (codes.some(isNa)) {
      if (codes.length > 1) return { error: `N/A cannot be chosen with actors in ${field.label}` };
      value = NA;
    } else value = codes as string[]; // in the cell's order, as a coder's set keeps hers
    const message = checkValue(field, value);
    return message ? { error: message } : { value };
  }
  if (field.type === 'multiple_choice') {
    if (codes.some(isNa)) {
      if (codes.length > 1) return { error: `N/A cannot be chosen with other values of ${field.label}` };
      value = NA;
    } else {
      // In codebook order, as every import of the same cell stores it.
      const order = new Map(field.options.map((o, i) => [o.value, i]));
      value = (codes as string[]).toSorted((a, b) => (order.get(a) ?? -1) - (order.get(b) ?? -1));
    }
  } else {
    if (codes.length > 1) return { error: `${field.label} takes one value` };
    value = codes[0]!;
  }
  const message = checkValue(field, value);
  return message ? { error: `${message} (${allowedText(field)})` } : { value };
}

/** Equal values (a set's order does not matter). */
export function sameValue(a: CodingValue | null, b: CodingValue | null): boolean {
  const norm = (v: CodingValue | null) => JSON.stringify(Array.isArray(v) ? [...v].sort() : v);
  return norm(a) === norm(b);
}
