/**
 * Measurement levels: what a field's values are taken to be when agreement is measured.
 * Zod-free, so the web's pages use it without the schemas. The level is part of a field's
 * definition in a codebook version (`level`, with `levelReason`); without one it follows
 * from the field's type. It decides the main coefficient (alpha at that level) and the kappa
 * family shown beside it: unweighted for nominal data, quadratic weights otherwise.
 */
import type { FieldDefinition, FieldType } from './schemas/codebook.ts';

export const MEASUREMENT_LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
export type MeasurementLevel = (typeof MEASUREMENT_LEVELS)[number];

/**
 * The levels each field type may be measured at; the first is its default. Choice and link
 * fields have no order (sets are compared with MASI); text has no coefficient. An ordinal
 * scale may be treated as interval (equal steps between points: a choice to justify), a
 * number as ratio (a true zero).
 */
export const LEVEL_CHOICES: Readonly<Record<FieldType, readonly MeasurementLevel[]>> = {
  single_choice: ['nominal'],
  multiple_choice: ['nominal'],
  link: ['nominal'],
  text: [],
  ordinal: ['ordinal', 'interval'],
  number: ['interval', 'ratio'],
};

export function defaultLevel(type: FieldType): MeasurementLevel | null {
  return LEVEL_CHOICES[type][0] ?? null;
}

/** The field's measurement level and where it comes from: the codebook (with its reason) or the type's default. */
export function measurementLevel(field: FieldDefinition): { level: MeasurementLevel | null; reason: string | null; source: 'type' | 'codebook' } {
  const set = 'level' in field ? field.level : undefined;
  const fallback = defaultLevel(field.type);
  if (set === undefined || set === fallback) return { level: fallback, reason: null, source: 'type' };
  return { level: set, reason: ('levelReason' in field ? field.levelReason?.trim() : '') || null, source: 'codebook' };
}

/**
 * The definition as stored: a level equal to the type's default is left out (with its reason),
 * so choosing the default again is no change of a coded field and makes no new version.
 */
export function normalizeLevel<F extends FieldDefinition>(field: F): F {
  const f = field as F & { level?: string; levelReason?: string };
  if (f.level !== undefined && f.level !== defaultLevel(field.type)) return field;
  if (f.level === undefined && f.levelReason === undefined) return field;
  const copy = { ...f };
  delete copy.level;
  delete copy.levelReason;
  return copy;
}

/** Weights of the kappa family that fit a level: chance-corrected agreement that credits near misses on a scale. */
export function weightsForLevel(level: string | null): 'unweighted' | 'quadratic' {
  return level === 'ordinal' || level === 'interval' || level === 'ratio' ? 'quadratic' : 'unweighted';
}

interface CoefficientLike {
  metric: string;
  weights: string | null;
  depth: number | null;
  note: string | null;
  value: number | null;
}

/**
 * The kappa and Gwet coefficient to show beside a row's main alpha: weighted kappa and AC2
 * (quadratic weights) for ordinal, interval and ratio levels, unweighted kappa and AC1 for
 * nominal ones. Never the unweighted kappa beside an ordinal alpha: it counts 1 vs 2 as
 * wrong as 1 vs 5 (the dashboard once showed .141 beside ordinal alpha .835).
 */
export function companionCoefficients<C extends CoefficientLike>(row: { level: string | null; others: readonly C[] }): { weights: 'unweighted' | 'quadratic'; kappa: C | null; ac: C | null } {
  const weights = weightsForLevel(row.level);
  const plain = (o: C) => o.weights === weights && o.depth === null;
  return {
    weights,
    kappa: row.others.find((o) => (o.metric === 'cohen-kappa' || o.metric === 'fleiss-kappa') && plain(o)) ?? null,
    ac: row.others.find((o) => o.metric === 'gwet-ac' && plain(o)) ?? null,
  };
}

/** What each coefficient measures, in a sentence: the dashboard's tooltips and the report's notes say the same. */
export const COEFFICIENT_EXPLANATIONS = {
  alpha: {
    nominal: "Krippendorff's alpha, nominal: agreement beyond chance where any two different values disagree equally. 1 is perfect agreement, 0 what chance would give; rely on .800, draw tentative conclusions from .667.",
    ordinal: "Krippendorff's alpha, ordinal: disagreements weigh by how many ranked values lie between them, without assuming equal steps between scale points. 1 is perfect agreement, 0 chance.",
    interval: "Krippendorff's alpha, interval: disagreements weigh by the squared difference of the values, which assumes equal steps between scale points. 1 is perfect agreement, 0 chance.",
    ratio: "Krippendorff's alpha, ratio: squared differences relative to the values' size, for quantities with a true zero. 1 is perfect agreement, 0 chance.",
    masi: "Krippendorff's alpha with the MASI distance: two sets of options disagree by how little they overlap (Passonneau 2006). 1 is perfect agreement, 0 chance.",
  },
  kappa: {
    unweighted: "Cohen's kappa (two coders) or Fleiss' kappa (more), unweighted: agreement beyond chance where only identical values agree. Fits nominal data.",
    quadratic:
      "Cohen's kappa (two coders) or Fleiss' kappa (more), quadratic weights: near misses on the scale earn partial credit (1 - squared distance / squared range), so it fits ordinal and interval data; the unweighted kappa would count every difference as a full disagreement.",
  },
  ac: {
    unweighted: "Gwet's AC1: agreement beyond chance with a chance term that stays small when one value dominates, so it resists the prevalence paradox. Unweighted, for nominal data.",
    quadratic: "Gwet's AC2: AC1 with quadratic weights, giving near misses partial credit; the Gwet coefficient for ordinal and interval data.",
  },
  agreement: 'Percent agreement: the share of pairs of coders who gave the same value, with no correction for chance.',
} as const;

/** The tooltip text of a row's main coefficient. */
export function alphaExplanation(level: string | null): string {
  const table = COEFFICIENT_EXPLANATIONS.alpha as Record<string, string>;
  return (level && table[level]) || 'No coefficient: text fields are not compared.';
}
