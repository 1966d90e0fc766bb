/**
 * What changed between two codebook versions, field by field. Pure and zod-free:
 * the server writes it into the version note, the codebook editor lists it per version.
 * Fields are matched by key, options by value, scale points by value; a label change of
 * the same value is a rename.
 */
import type { FieldDefinition, FieldOption, ScalePoint } from './schemas/codebook.ts';
import { measurementLevel } from './measurement.ts';

export interface Renamed<V> {
  value: V;
  from: string;
  to: string;
}

export interface FieldChange {
  key: string;
  /** The field's label after the change (before it, for a removed field). */
  label: string;
  kind: 'added' | 'removed' | 'changed';
  /** Changed properties other than options and scale points, e.g. `label`, `type`, `required`, `help`. */
  properties: string[];
  options: {
    added: FieldOption[];
    removed: FieldOption[];
    renamed: Renamed<string>[];
    /** Options whose parent frame changed. */
    reparented: { value: string; from: string | null; to: string | null }[];
    /** The common options are in a different order. */
    reordered: boolean;
  };
  scale: { added: ScalePoint[]; removed: ScalePoint[]; renamed: Renamed<number>[]; reordered: boolean };
  /** The measurement level changed (or its reason): from, to, and the reason recorded for the new level. */
  level: { from: string | null; to: string | null; reason: string | null } | null;
}

export interface CodebookDiff {
  fields: FieldChange[];
  /** The common fields are in a different order. */
  reordered: boolean;
}

type Keyed = { key: string };

const optionsOf = (f: FieldDefinition): FieldOption[] => (f.type === 'single_choice' || f.type === 'multiple_choice' ? f.options : []);
const scaleOf = (f: FieldDefinition): ScalePoint[] => (f.type === 'ordinal' ? f.scale : []);

/** Whether the elements common to both lists appear in the same relative order. */
function sameOrder<T>(before: readonly T[], after: readonly T[]): boolean {
  const inAfter = new Set(after);
  const inBefore = new Set(before);
  const a = before.filter((x) => inAfter.has(x));
  const b = after.filter((x) => inBefore.has(x));
  return a.every((x, i) => x === b[i]);
}

function diffLabelled<V extends string | number, T extends { value: V; label: string }>(before: readonly T[], after: readonly T[]) {
  const was = new Map(before.map((x) => [x.value, x]));
  const now = new Map(after.map((x) => [x.value, x]));
  return {
    added: after.filter((x) => !was.has(x.value)),
    removed: before.filter((x) => !now.has(x.value)),
    renamed: after.flatMap((x): Renamed<V>[] => {
      const old = was.get(x.value);
      return old && old.label !== x.label ? [{ value: x.value, from: old.label, to: x.label }] : [];
    }),
    reordered: !sameOrder(
      before.map((x) => x.value),
      after.map((x) => x.value),
    ),
  };
}

/** Top-level properties compared one by one (options and scale are compared element-wise). */
const PROPERTIES = ['label', 'type', 'help', 'required', 'allowNa', 'min', 'max', 'integer', 'maxLength', 'allowCreate'] as const;

function changedProperties(before: FieldDefinition, after: FieldDefinition): string[] {
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  return PROPERTIES.filter((p) => JSON.stringify(b[p]) !== JSON.stringify(a[p]));
}

function emptyChange(field: FieldDefinition, kind: FieldChange['kind']): FieldChange {
  return {
    key: field.key,
    label: field.label,
    kind,
    properties: [],
    options: { added: [], removed: [], renamed: [], reparented: [], reordered: false },
    scale: { added: [], removed: [], renamed: [], reordered: false },
    level: null,
  };
}

function isEmpty(c: FieldChange): boolean {
  const o = c.options;
  const s = c.scale;
  return (
    c.properties.length === 0 &&
    !o.added.length &&
    !o.removed.length &&
    !o.renamed.length &&
    !o.reparented.length &&
    !o.reordered &&
    !s.added.length &&
    !s.removed.length &&
    !s.renamed.length &&
    !s.reordered &&
    c.level === null
  );
}

export function diffCodebooks(before: readonly FieldDefinition[], after: readonly FieldDefinition[]): CodebookDiff {
  const was = new Map(before.map((f) => [f.key, f]));
  const now = new Map(after.map((f) => [f.key, f]));
  const fields: FieldChange[] = [];
  for (const f of after) {
    const old = was.get(f.key);
    if (!old) {
      const change = emptyChange(f, 'added');
      change.options.added = optionsOf(f);
      change.scale.added = scaleOf(f);
      fields.push(change);
      continue;
    }
    const change = emptyChange(f, 'changed');
    change.properties = changedProperties(old, f);
    const { added, removed, renamed, reordered } = diffLabelled<string, FieldOption>(optionsOf(old), optionsOf(f));
    const parentOf = new Map(optionsOf(old).map((o) => [o.value, o.parent]));
    change.options = {
      added,
      removed,
      renamed,
      reordered,
      reparented: optionsOf(f).flatMap((o) => {
        if (!parentOf.has(o.value)) return [];
        const from = parentOf.get(o.value) ?? null;
        return from !== o.parent ? [{ value: o.value, from, to: o.parent }] : [];
      }),
    };
    change.scale = diffLabelled<number, ScalePoint>(scaleOf(old), scaleOf(f));
    const levelBefore = measurementLevel(old);
    const levelAfter = measurementLevel(f);
    if (old.type === f.type && (levelBefore.level !== levelAfter.level || levelBefore.reason !== levelAfter.reason)) change.level = { from: levelBefore.level, to: levelAfter.level, reason: levelAfter.reason };
    // Option help texts are not listed one by one; they count as a change of the field's help.
    const helpOf = new Map(optionsOf(old).map((o) => [o.value, o.help]));
    if (optionsOf(f).some((o) => helpOf.has(o.value) && helpOf.get(o.value) !== o.help)) change.properties.push('option help');
    if (!isEmpty(change)) fields.push(change);
  }
  for (const f of before) if (!now.has(f.key)) fields.push(emptyChange(f, 'removed'));
  const keys = (list: readonly Keyed[]) => list.map((f) => f.key);
  return { fields, reordered: !sameOrder(keys(before), keys(after)) };
}

export function isUnchanged(diff: CodebookDiff): boolean {
  return diff.fields.length === 0 && !diff.reordered;
}

const quote = (s: string | number) => `"${s}"`;
const list = (xs: (string | number)[]) => xs.map(quote).join(', ');

/** One sentence per field change, e.g. `changed "frame": options added "a"; renamed "b" → "B"`. */
export function describeDiff(diff: CodebookDiff): string[] {
  const lines = diff.fields.map((c) => {
    if (c.kind === 'added') return `added field ${quote(c.key)}`;
    if (c.kind === 'removed') return `removed field ${quote(c.key)}`;
    const parts: string[] = [];
    if (c.properties.length) parts.push(`${c.properties.join(', ')} changed`);
    const { options: o, scale: s } = c;
    if (o.added.length) parts.push(`options added ${list(o.added.map((x) => x.value))}`);
    if (o.removed.length) parts.push(`options removed ${list(o.removed.map((x) => x.value))}`);
    for (const r of o.renamed) parts.push(`option ${quote(r.value)} renamed ${quote(r.from)} → ${quote(r.to)}`);
    for (const r of o.reparented) parts.push(`option ${quote(r.value)} moved under ${r.to === null ? 'no parent' : quote(r.to)}`);
    if (o.reordered) parts.push('options reordered');
    if (s.added.length) parts.push(`scale points added ${list(s.added.map((x) => x.value))}`);
    if (s.removed.length) parts.push(`scale points removed ${list(s.removed.map((x) => x.value))}`);
    for (const r of s.renamed) parts.push(`scale point ${r.value} relabelled ${quote(r.from)} → ${quote(r.to)}`);
    if (s.reordered) parts.push('scale reordered');
    if (c.level) {
      const why = c.level.reason ? ` (reason: ${quote(c.level.reason)})` : '';
      parts.push(c.level.from === c.level.to ? `reason for the ${c.level.to} level changed${why}` : `measurement level ${c.level.from} → ${c.level.to}${why}`);
    }
    return `changed field ${quote(c.key)}: ${parts.join('; ')}`;
  });
  if (diff.reordered) lines.push('fields reordered');
  return lines;
}
