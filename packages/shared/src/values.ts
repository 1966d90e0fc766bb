/**
 * Coded values and the rules every reader and writer of them shares: the server
 * (authoritative), the web form (early feedback) and the exports. No zod here, so the
 * coding page's bundle carries these few functions and not the schema library.
 */
import type { FieldDefinition } from './schemas/codebook.ts';

const ACTOR_ID = /^act_[a-z2-7]{16}$/;

/** "Not applicable": a deliberate answer, distinct from a missing value (null). */
export const NA = { na: true } as const;

/**
 * A coded value: a choice's value, a set of choices, a scale point or number,
 * free text, or N/A. Missing is represented by the absence of a coding.
 */
export type CodingValue = string | number | string[] | { na: true };

export function isNa(value: unknown): value is typeof NA {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { na?: unknown }).na === true;
}

/**
 * Checks a value against its field. Returns a message, or null when valid.
 * Shared by the server (authoritative) and the web form (early feedback).
 */
export function checkValue(field: FieldDefinition, value: CodingValue): string | null {
  if (isNa(value)) return field.allowNa ? null : `field "${field.key}" does not allow N/A`;
  switch (field.type) {
    case 'single_choice':
      if (typeof value !== 'string') return `field "${field.key}" expects one option value`;
      return field.options.some((o) => o.value === value) ? null : `"${value}" is not an option of "${field.key}"`;
    case 'multiple_choice': {
      if (!Array.isArray(value)) return `field "${field.key}" expects a list of option values`;
      const known = new Set(field.options.map((o) => o.value));
      const bad = value.find((v) => !known.has(v));
      if (bad !== undefined) return `"${bad}" is not an option of "${field.key}"`;
      if (new Set(value).size !== value.length) return `field "${field.key}" has a repeated option`;
      return null;
    }
    case 'ordinal':
      if (typeof value !== 'number') return `field "${field.key}" expects a scale point`;
      return field.scale.some((p) => p.value === value) ? null : `${value} is not a point of the "${field.key}" scale`;
    case 'number':
      if (typeof value !== 'number') return `field "${field.key}" expects a number`;
      if (field.integer && !Number.isInteger(value)) return `field "${field.key}" expects an integer`;
      if (field.min !== null && value < field.min) return `field "${field.key}" must be at least ${field.min}`;
      if (field.max !== null && value > field.max) return `field "${field.key}" must be at most ${field.max}`;
      return null;
    case 'text':
      if (typeof value !== 'string') return `field "${field.key}" expects text`;
      return value.length <= field.maxLength ? null : `field "${field.key}" is longer than ${field.maxLength} characters`;
    case 'link': {
      // The shape only: whether the actors exist (and may be seen by the coder) is the server's check.
      if (!Array.isArray(value)) return `field "${field.key}" expects a list of actor ids`;
      const bad = value.find((v) => !ACTOR_ID.test(v));
      if (bad !== undefined) return `"${bad}" is not an actor id`;
      if (new Set(value).size !== value.length) return `field "${field.key}" names an actor twice`;
      return null;
    }
  }
}

/**
 * The cell text of a value in CSV exports: set values joined with "|", the empty set as
 * a lone "|" (an empty cell is missing), N/A as "NA"; as `concord reliability` reads them.
 */
export function formatValue(value: CodingValue | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (isNa(value)) return 'NA';
  if (Array.isArray(value)) return value.length ? [...value].sort().join('|') : '|';
  return String(value);
}

