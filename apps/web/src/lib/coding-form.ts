/**
 * Pure helpers of the coding view: the form generated from a codebook and the values
 * read from a coding document's `values` map (see CODING_DOC in @concord/shared).
 * No Yjs and no DOM here, so they are unit-tested directly.
 */
import { checkValue, isNa, NA, type CodingValue, type FieldDefinition, type FieldOption } from '@concord/shared';

export type Values = Record<string, CodingValue>;

/** One selectable choice of a field, in display order; `depth` indents child frames under their parent. */
export interface Choice {
  /** The stored value: an option value, a scale point, or N/A. */
  value: CodingValue;
  label: string;
  help: string;
  depth: number;
}

/** Options in display order: every parent followed by its children (recursively), codebook order otherwise. */
export function orderOptions(options: readonly FieldOption[]): { option: FieldOption; depth: number }[] {
  const known = new Set(options.map((o) => o.value));
  const children = new Map<string | null, FieldOption[]>();
  for (const o of options) {
    const parent = o.parent !== null && known.has(o.parent) ? o.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), o]);
  }
  const out: { option: FieldOption; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const o of children.get(parent) ?? []) {
      if (seen.has(o.value)) continue; // cycles cannot pass the schema, but never loop
      seen.add(o.value);
      out.push({ option: o, depth });
      walk(o.value, depth + 1);
    }
  };
  walk(null, 0);
  // Anything unreachable (a parent cycle) still shows, flat.
  for (const o of options) if (!seen.has(o.value)) out.push({ option: o, depth: 0 });
  return out;
}

/** The choices a click or typed keys (coding/choice-keys.ts) pick from, N/A last when the field allows it. */
export function choicesOf(field: FieldDefinition): Choice[] {
  let choices: Choice[];
  if (field.type === 'single_choice' || field.type === 'multiple_choice') {
    choices = orderOptions(field.options).map(({ option, depth }) => ({ value: option.value, label: option.label, help: option.help, depth }));
  } else if (field.type === 'ordinal') {
    choices = field.scale.map((p) => ({ value: p.value, label: p.label, help: '', depth: 0 }));
  } else {
    return [];
  }
  if (field.allowNa) choices.push({ value: NA, label: 'N/A', help: 'Not applicable', depth: 0 });
  return choices;
}

export function isChoiceField(field: FieldDefinition): boolean {
  return field.type === 'single_choice' || field.type === 'multiple_choice' || field.type === 'ordinal';
}

/** Whether `choice` is part of `value` (a member of a set, the single value, or N/A). */
export function isSelected(value: CodingValue | undefined, choice: CodingValue): boolean {
  if (value === undefined) return false;
  if (isNa(choice)) return isNa(value);
  if (Array.isArray(value)) return typeof choice === 'string' && value.includes(choice);
  return value === choice;
}

/**
 * The field's next value after the user picks `choice`: single choice and scales take it;
 * multiple choice and link fields toggle it in the set (N/A replaces the set, a choice replaces N/A).
 * `undefined` means "clear the field" (an emptied set stays the empty set: a deliberate answer).
 */
export function pick(field: FieldDefinition, current: CodingValue | undefined, choice: CodingValue): CodingValue | undefined {
  if (field.type !== 'multiple_choice' && field.type !== 'link') return choice;
  if (isNa(choice)) return isNa(current) ? undefined : choice;
  if (typeof choice !== 'string') return current;
  const set = Array.isArray(current) ? current : [];
  return set.includes(choice) ? set.filter((v) => v !== choice) : [...set, choice];
}

/** Parses a number input; '' clears, anything unparseable is an error message. */
export function parseNumber(field: FieldDefinition, raw: string): { value: number | undefined } | { error: string } {
  const text = raw.trim();
  if (text === '') return { value: undefined };
  const n = Number(text);
  if (!Number.isFinite(n)) return { error: 'Enter a number.' };
  const message = checkValue(field, n);
  return message ? { error: message } : { value: n };
}

/** The shape of a CodingValue (as codingValueSchema, without pulling zod into the page). */
export function isCodingValue(raw: unknown): raw is CodingValue {
  if (typeof raw === 'string') return true;
  if (typeof raw === 'number') return Number.isFinite(raw);
  if (Array.isArray(raw)) return raw.every((v) => typeof v === 'string');
  return isNa(raw) && Object.keys(raw as object).length === 1;
}

/**
 * Values read from a coding document's map: only known fields with a value that fits the
 * codebook (as the server projects them). Anything else is left out and reported.
 */
export function readValues(fields: readonly FieldDefinition[], entries: Iterable<[string, unknown]>): { values: Values; invalid: string[] } {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const values: Values = {};
  const invalid: string[] = [];
  for (const [key, raw] of entries) {
    const field = byKey.get(key);
    if (!field || !isCodingValue(raw) || checkValue(field, raw)) invalid.push(key);
    else values[key] = raw;
  }
  return { values, invalid };
}

/** Required fields without a value (N/A counts as a value), in codebook order. */
export function missingRequired(fields: readonly FieldDefinition[], values: Values): FieldDefinition[] {
  return fields.filter((f) => f.required && values[f.key] === undefined);
}

/** A value as a person reads it: option and scale labels, actors' names (`actorName`, else ids), N/A, the empty set. */
export function describeValue(field: FieldDefinition, value: CodingValue | undefined, actorName: (id: string) => string = (id) => id): string {
  if (value === undefined) return '—';
  if (isNa(value)) return 'N/A';
  if (field.type === 'link' && Array.isArray(value)) return value.length ? value.map(actorName).join('; ') : '(none)';
  if (field.type === 'single_choice' || field.type === 'multiple_choice') {
    const label = (v: string) => field.options.find((o) => o.value === v)?.label ?? v;
    if (Array.isArray(value)) return value.length ? value.map(label).join('; ') : '(none)';
    return typeof value === 'string' ? label(value) : String(value);
  }
  if (field.type === 'ordinal') {
    const point = field.scale.find((p) => p.value === value);
    return point ? `${point.value} · ${point.label}` : String(value);
  }
  return Array.isArray(value) ? value.join('; ') : String(value);
}

/** A stable presence colour for a user id (#rrggbb, as the awareness allow-list requires). */
export function userColor(id: string): string {
  const palette = ['#2f5d8a', '#1f6f43', '#a4262c', '#7a4fa3', '#b25e09', '#0f7c86', '#8a5a2f', '#5b6b16'];
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length]!;
}

/** Initials for an avatar. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

/** The previous and next item ids around `id` in the project's item order. */
export function neighbours(ids: readonly string[], id: string): { prev: string | null; next: string | null } {
  const i = ids.indexOf(id);
  if (i === -1) return { prev: null, next: null };
  return { prev: ids[i - 1] ?? null, next: ids[i + 1] ?? null };
}
