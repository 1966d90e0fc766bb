/**
 * Pure helpers of the codebook editor: new fields, type changes, reordering, option renames
 * that keep child frames attached, and validation with the shared schema (the same rules the
 * server applies). No DOM here, so they are unit-tested directly.
 */
import {
  codebookInput,
  defaultLevel,
  FIELD_TYPES,
  keyFromLabel,
  newCodeIssues,
  slugify,
  type FieldDefinition,
  type FieldOption,
  type FieldType,
  type MeasurementLevel,
  type ScalePoint,
} from '@concord/shared';

export const TYPE_LABELS: Record<FieldType, string> = {
  single_choice: 'Single choice',
  multiple_choice: 'Multiple choice (frames)',
  ordinal: 'Ordinal scale',
  number: 'Number',
  text: 'Text',
  link: 'Actors (linked records)',
};
export { FIELD_TYPES };

export const LEVEL_LABELS: Record<MeasurementLevel, string> = {
  nominal: 'Nominal',
  ordinal: 'Ordinal (order only)',
  interval: 'Interval (equal steps)',
  ratio: 'Ratio (true zero)',
};

/** What choosing a level means for the numbers, shown under the level's select. */
export const LEVEL_HINTS: Record<MeasurementLevel, string> = {
  nominal: 'Values are categories without order.',
  ordinal: 'Reliability uses ordinal alpha, weighted kappa and AC2: near misses count less, without assuming equal steps between points.',
  interval: 'Reliability uses interval alpha, weighted kappa and AC2: this assumes equal steps between points. Say why below.',
  ratio: 'Reliability uses ratio alpha: differences are relative to the values, for quantities with a true zero. Say why below.',
};

/**
 * The field at `level`, with the reason for it. The type's default level is stored as none (so
 * choosing it again changes nothing in the codebook); another level keeps the reason typed.
 */
export function withLevel(field: FieldDefinition, level: MeasurementLevel, reason: string): FieldDefinition {
  if (field.type !== 'ordinal' && field.type !== 'number') return field;
  const rest: FieldDefinition & { level?: string; levelReason?: string } = { ...field };
  delete rest.level;
  delete rest.levelReason;
  if (level === defaultLevel(field.type)) return rest;
  return { ...rest, level, levelReason: reason } as FieldDefinition;
}

/** Shared with the server's REFI-QDA import, so both derive the same keys. */
export { keyFromLabel };

/** Placeholders the editor makes for new fields and options (`new_single_choice`, `option_3`). */
const PLACEHOLDER = /^(new_[a-z_]+?|option)(_\d+)?$/;

/**
 * The key or code once its label changed from `before` to `after`. It follows the label while it
 * is still generated (a placeholder, or the slug of the old label) and not saved: a saved code
 * names codings, so it changes only when typed. `others` are the keys or codes it must differ from.
 */
export function followLabel(code: string, before: string, after: string, others: readonly string[], saved: boolean, fallback = 'code'): string {
  if (saved) return code;
  const generated = PLACEHOLDER.test(code) || code === slugify(before, others, fallback);
  return generated ? slugify(after, others, fallback) : code;
}

export function defaultScale(): ScalePoint[] {
  return [-3, -2, -1, 0, 1, 2, 3].map((value) => ({ value, label: value === 0 ? 'Neutral' : value < 0 ? `Harmful (${value})` : `Beneficial (+${value})` }));
}

const option = (value: string, label: string): FieldOption => ({ value, label, parent: null, help: '' });

/** A new field of `type`, with a unique key and the minimum the schema needs (two options, a scale). */
export function blankField(type: FieldType, taken: Iterable<string>): FieldDefinition {
  const key = keyFromLabel(`new ${type.replace('_', ' ')}`, taken);
  const base = { key, label: TYPE_LABELS[type], help: '', required: false, allowNa: false };
  switch (type) {
    case 'single_choice':
    case 'multiple_choice':
      return { ...base, type, options: [option('option_1', 'Option 1'), option('option_2', 'Option 2')] };
    case 'ordinal':
      return { ...base, type, scale: defaultScale() };
    case 'number':
      return { ...base, type, min: null, max: null, integer: false };
    case 'text':
      return { ...base, type, maxLength: 10_000 };
    case 'link':
      return { ...base, type, allowCreate: false };
  }
}

/**
 * The field as another type: key, label, help, required and N/A are kept; options survive
 * a switch between single and multiple choice, and become scale points (and back) by position.
 */
export function changeType(field: FieldDefinition, type: FieldType): FieldDefinition {
  if (field.type === type) return field;
  const { key, label, help, required, allowNa } = field;
  const fresh = blankField(type, []);
  const base = { key, label, help, required, allowNa };
  if ((type === 'single_choice' || type === 'multiple_choice') && (field.type === 'single_choice' || field.type === 'multiple_choice')) {
    return { ...base, type, options: field.options.map((o) => ({ ...o })) };
  }
  if ((type === 'single_choice' || type === 'multiple_choice') && field.type === 'ordinal') {
    return { ...base, type, options: field.scale.map((p) => option(`p${p.value < 0 ? `m${-p.value}` : p.value}`, p.label)) };
  }
  if (type === 'ordinal' && (field.type === 'single_choice' || field.type === 'multiple_choice') && field.options.length >= 2) {
    return { ...base, type, scale: field.options.map((o, i) => ({ value: i + 1, label: o.label })) };
  }
  return { ...fresh, ...base, type } as FieldDefinition;
}

/** `list` with the element at `from` moved to `to` (both clamped); a new array. */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length) return out;
  const target = Math.max(0, Math.min(out.length - 1, to));
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item!);
  return out;
}

/** A fresh option value not used by `options`. */
export function newOptionValue(options: readonly FieldOption[]): string {
  const used = new Set(options.map((o) => o.value));
  let n = options.length + 1;
  while (used.has(`option_${n}`)) n++;
  return `option_${n}`;
}

/** A scale point value one above the largest (or 1). */
export function newScaleValue(scale: readonly ScalePoint[]): number {
  return scale.length ? Math.max(...scale.map((p) => p.value)) + 1 : 1;
}

/** Options after `from` was renamed `to`: children that pointed at it follow. */
export function renameOption(options: readonly FieldOption[], from: string, to: string): FieldOption[] {
  return options.map((o) => ({ ...o, value: o.value === from ? to : o.value, parent: o.parent === from ? to : o.parent }));
}

/** Options without `value`; its children move up to its own parent. */
export function removeOption(options: readonly FieldOption[], value: string): FieldOption[] {
  const gone = options.find((o) => o.value === value);
  return options.filter((o) => o.value !== value).map((o) => (o.parent === value ? { ...o, parent: gone?.parent ?? null } : o));
}

/** The options `value` may have as parent: any other option that is not its descendant (no cycles). */
export function parentCandidates(options: readonly FieldOption[], value: string): FieldOption[] {
  const children = new Map<string, string[]>();
  for (const o of options) if (o.parent !== null) children.set(o.parent, [...(children.get(o.parent) ?? []), o.value]);
  const below = new Set<string>([value]);
  const stack = [value];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (below.has(c)) continue;
      below.add(c);
      stack.push(c);
    }
  }
  return options.filter((o) => !below.has(o.value));
}

export interface Problem {
  /** Index of the field, or null for the codebook as a whole. */
  field: number | null;
  message: string;
}

/**
 * Checks the codebook with the shared schema, and its new or changed option codes against the
 * `saved` fields (newCodeIssues, as the server does); each problem names its field and where in it.
 */
export function validateCodebook(name: string, fields: readonly FieldDefinition[], saved: readonly FieldDefinition[]): Problem[] {
  const result = codebookInput.safeParse({ name, fields });
  if (result.success) return newCodeIssues(saved, fields).map((issue) => ({ field: issue.path[0] as number, message: issue.message }));
  return result.error.issues.map((issue) => {
    const [top, index, ...rest] = issue.path;
    if (top !== 'fields' || typeof index !== 'number') return { field: null, message: `${top === 'name' ? 'Codebook name' : 'Codebook'}: ${issue.message}` };
    const f = fields[index];
    const where = describePath(f, rest);
    return { field: index, message: `${f ? `"${f.label || f.key}"` : `Field ${index + 1}`}${where ? ` ${where}` : ''}: ${issue.message}` };
  });
}

function describePath(field: FieldDefinition | undefined, path: readonly PropertyKey[]): string {
  const [part, i, prop] = path;
  if ((part === 'options' || part === 'scale') && typeof i === 'number') {
    const what = part === 'options' ? 'option' : 'scale point';
    return `${what} ${i + 1}${typeof prop === 'string' ? ` (${prop})` : ''}`;
  }
  if (typeof part === 'string') return `(${part})`;
  return field ? '' : '';
}

/** Deep copy of fields (the editor edits its own copy, never the loaded data). */
export function cloneFields(fields: readonly FieldDefinition[]): FieldDefinition[] {
  return JSON.parse(JSON.stringify(fields)) as FieldDefinition[];
}

export function sameFields(a: readonly FieldDefinition[], b: readonly FieldDefinition[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A number typed into an input, or null when it is empty or not a finite number. */
export const numberOrNull = (raw: string): number | null => (raw.trim() === '' || !Number.isFinite(Number(raw)) ? null : Number(raw));
