/**
 * The reliability of one codebook field: the coefficient that fits its type, with a
 * bootstrap interval, and the kappa family and per-level alphas beside it. Pure: takes
 * the field's matrix, returns the report row. Metric and level names are the CLI's.
 *
 * | field type | main coefficient | others |
 * |---|---|---|
 * | ordinal scale | alpha, ordinal | Cohen (2 coders) / Fleiss kappa, AC1, quadratic-weighted kappa and AC2; nominal alpha with N/A |
 * | single choice | alpha, nominal | Cohen / Fleiss kappa, AC1; alpha per hierarchy level |
 * | multiple choice | alpha, MASI | multi-valued alpha, Jaccard alpha; MASI alpha per hierarchy level |
 * | number | alpha, interval | as ordinal, on the observed values |
 * | text | none | none |
 *
 * The level of ordinal and number fields is the codebook's (`measurementLevel`): an ordinal
 * scale the codebook treats as interval gets interval alpha, a number set to ratio ratio alpha.
 * Unweighted kappa and AC1 of a scale stay in `others` with a note that they ignore the order.
 */
import {
  alphaByHierarchyLevel,
  bootstrapAlpha,
  cohenKappa,
  fleissKappa,
  fromRows,
  fromSetRows,
  gwetAC,
  krippendorffAlpha,
  multiValuedAlpha,
  pairableCounts,
  setAlpha,
  type AgreementResult,
  type AlphaLevel,
  type BootstrapResult,
  type ReliabilityData,
  type SetReliabilityData,
  type WeightScheme,
} from '@concord/reliability';
import {
  PARADOX_AGREEMENT,
  RELIABLE_ALPHA,
  TENTATIVE_ALPHA,
  type Coefficient,
  measurementLevel,
  type FieldDefinition,
  type FieldReliability,
  type PrevalenceWarning,
  verdictOf,
} from '@concord/shared';
import { declaredCategories, labelRows, setRows, type CellCounts, type FieldMatrix } from './field-matrix.ts';

export const CONFIDENCE = 0.95;
const BOOTSTRAP_FIXED = { confidence: CONFIDENCE, thresholds: [RELIABLE_ALPHA, TENTATIVE_ALPHA] };

export interface BootstrapSettings {
  replicates: number;
  seed: number;
}

interface Scalar {
  value: number | null;
  reason: string | null;
}

const coefficient = (c: Partial<Coefficient> & Pick<Coefficient, 'metric'> & Scalar & { n_pairable: number }): Coefficient => ({
  level: null,
  weights: null,
  depth: null,
  note: null,
  ...c,
});

function agreement(metric: string, weights: WeightScheme, r: AgreementResult): Coefficient {
  return coefficient({ metric, weights, value: r.value, reason: r.reason, n_pairable: r.nPairableUnits });
}

/** Said of an unweighted coefficient of a scale, so it is never read beside the scale's alpha as if it fit. */
export const UNWEIGHTED_ON_SCALE_NOTE = 'unweighted: ignores the order of the scale, so a near miss counts as a full disagreement; compare the weighted coefficient with alpha';

/** Cohen's kappa (two coders) or Fleiss' kappa, and Gwet's AC1/AC2, for each weighting. */
function kappaFamily(data: ReliabilityData, schemes: readonly WeightScheme[], scale: boolean): Coefficient[] {
  const out: Coefficient[] = [];
  for (const weights of schemes) {
    const note = scale && weights === 'unweighted' ? UNWEIGHTED_ON_SCALE_NOTE : null;
    const kappa = data.nCoders === 2 ? agreement('cohen-kappa', weights, cohenKappa({ data, weights })) : agreement('fleiss-kappa', weights, fleissKappa({ data, weights }));
    out.push({ ...kappa, note }, { ...agreement('gwet-ac', weights, gwetAC({ data, weights })), note });
  }
  return out;
}

function parentsOf(field: FieldDefinition): Map<string, string> | null {
  if (field.type !== 'single_choice' && field.type !== 'multiple_choice') return null;
  const parents = new Map(field.options.flatMap((o) => (o.parent === null ? [] : [[o.value, o.parent] as const])));
  return parents.size ? parents : null;
}

function probability(boot: BootstrapResult | null, threshold: number): number | null {
  return boot?.probabilityBelow.find((p) => p.threshold === threshold)?.probability ?? null;
}

interface Main {
  metric: string;
  level: string;
  alpha: { value: number | null; reason: string | null; nPairable: number; percentAgreement: number | null };
  boot: BootstrapResult | null;
  others: Coefficient[];
  counts: CellCounts;
}

/** The field's matrix as the main coefficient reads it: categories in codebook order, N/A as the level requires. */
export type FieldData =
  | { kind: 'single'; data: ReliabilityData; level: AlphaLevel; counts: CellCounts }
  | { kind: 'sets'; data: SetReliabilityData; counts: CellCounts };

/** Null for text fields, which have no coefficient. */
export function fieldData(field: FieldDefinition, m: FieldMatrix): FieldData | null {
  if (field.type === 'text') return null;
  // Sets of options or of actors (a link field): MASI, as multi-select frames.
  if (field.type === 'multiple_choice' || field.type === 'link') {
    const { rows, counts } = setRows(field, m);
    return { kind: 'sets', data: fromSetRows({ rows, categories: declaredCategories(field), coders: m.coders }), counts };
  }
  const level: AlphaLevel = measurementLevel(field).level ?? 'nominal';
  const nominal = level === 'nominal';
  const { rows, counts } = labelRows(field, m, nominal);
  return { kind: 'single', data: fromRows({ rows, categories: declaredCategories(field, nominal && field.allowNa), coders: m.coders }), level, counts };
}

function singleValued(field: FieldDefinition, m: FieldMatrix, d: Extract<FieldData, { kind: 'single' }>, bootstrap: BootstrapSettings | null): Main {
  const { data, level, counts } = d;
  const nominal = level === 'nominal';
  const alpha = krippendorffAlpha({ data, level });
  const boot = bootstrap ? bootstrapAlpha({ data, level, ...bootstrap, ...BOOTSTRAP_FIXED }) : null;
  const others = kappaFamily(data, nominal ? ['unweighted'] : ['unweighted', 'quadratic'], !nominal);
  const parents = parentsOf(field);
  if (parents) {
    for (const l of alphaByHierarchyLevel({ data, parentOf: parents })) {
      others.push(coefficient({ metric: 'krippendorff-alpha', level: 'nominal', depth: l.depth, value: l.alpha.value, reason: l.alpha.reason, n_pairable: l.alpha.nPairable }));
    }
  }
  if (!nominal && counts.na > 0) {
    // N/A is no point of the scale; whether coders agree on applicability shows here.
    const withNa = labelRows(field, m, true);
    const categories = field.type === 'ordinal' ? declaredCategories(field, true) : undefined;
    const a = krippendorffAlpha({ data: fromRows({ rows: withNa.rows, categories, coders: m.coders }), level: 'nominal' });
    others.push(coefficient({ metric: 'krippendorff-alpha', level: 'nominal', value: a.value, reason: a.reason, n_pairable: a.nPairable, note: 'N/A as a category' }));
  }
  return { metric: 'krippendorff-alpha', level, alpha, boot, others, counts };
}

function setValued(field: FieldDefinition, d: Extract<FieldData, { kind: 'sets' }>, bootstrap: BootstrapSettings | null): Main {
  const { data, counts } = d;
  const alpha = setAlpha({ data, distance: 'masi' });
  const boot = bootstrap ? bootstrapAlpha({ data, setDistance: 'masi', ...bootstrap, ...BOOTSTRAP_FIXED }) : null;
  const mv = multiValuedAlpha({ data });
  const jaccard = setAlpha({ data, distance: 'jaccard' });
  const others = [
    coefficient({ metric: 'multi-valued-alpha', level: 'nominal', value: mv.value, reason: mv.reason, n_pairable: mv.nPairable, note: 'Krippendorff & Craggs 2016' }),
    coefficient({ metric: 'krippendorff-alpha', level: 'jaccard', value: jaccard.value, reason: jaccard.reason, n_pairable: jaccard.nPairable }),
  ];
  const parents = parentsOf(field);
  if (parents) {
    for (const l of alphaByHierarchyLevel({ data, parentOf: parents, setDistance: 'masi' })) {
      others.push(coefficient({ metric: 'krippendorff-alpha', level: 'masi', depth: l.depth, value: l.alpha.value, reason: l.alpha.reason, n_pairable: l.alpha.nPairable }));
    }
  }
  return { metric: 'krippendorff-alpha', level: 'masi', alpha, boot, others, counts };
}

/**
 * Pairable values per value of the field: for single-valued data the coincidence margins n_c;
 * for sets, how many pairable coded sets contain each option (out of all pairable sets).
 */
export function valueCounts(d: FieldData): { counts: number[]; total: number } {
  if (d.kind === 'single') {
    const p = pairableCounts(d.data, d.data.categories.length);
    return { counts: Array.from(p.counts), total: p.nPairable };
  }
  const bySet = pairableCounts(d.data, d.data.sets.length);
  const counts = d.data.categories.map(() => 0);
  bySet.counts.forEach((n, set) => {
    for (const c of d.data.sets[set] ?? []) counts[c] = (counts[c] ?? 0) + n;
  });
  return { counts, total: bySet.nPairable };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const dec = (x: number) => x.toFixed(3).replace(/^(-?)0\./, '$1.');

/**
 * The prevalence ("kappa") paradox: high percent agreement with a low coefficient happens
 * when one value dominates, since chance agreement is then high too (Feinstein & Cicchetti 1990).
 */
export function prevalenceWarning(d: FieldData, value: number | null, agreement: number | null): PrevalenceWarning | null {
  if (value === null || agreement === null || agreement < PARADOX_AGREEMENT || value >= TENTATIVE_ALPHA) return null;
  const { counts, total } = valueCounts(d);
  let top = -1;
  counts.forEach((n, c) => {
    if (top < 0 || n > (counts[top] ?? 0)) top = c;
  });
  const topValue = top >= 0 && total > 0 ? (d.data.categories[top] ?? null) : null;
  const topShare = topValue === null ? null : (counts[top] ?? 0) / total;
  const dominance =
    topValue === null || topShare === null
      ? 'the values are concentrated on few categories'
      : d.kind === 'sets'
        ? `"${topValue}" is in ${pct(topShare)} of the coded sets`
        : `"${topValue}" is ${pct(topShare)} of the values`;
  return {
    percent_agreement: agreement,
    value,
    top_value: topValue,
    top_share: topShare,
    message:
      `Coders agree on ${pct(agreement)} of pairs, yet alpha is ${dec(value)}: ${dominance}, so agreement expected by chance is high ` +
      'and the few disagreements weigh heavily (the prevalence or "kappa" paradox, Feinstein & Cicchetti 1990). ' +
      'Read the per-value alphas and report the prevalence and Gwet\'s AC1 beside alpha.',
  };
}

export function fieldReliability(field: FieldDefinition, m: FieldMatrix, bootstrap: BootstrapSettings | null): FieldReliability {
  const measured = measurementLevel(field);
  const base = {
    key: field.key,
    label: field.label,
    type: field.type,
    n_units: m.units.length,
    n_coders: m.coders.length,
    level_source: measured.level === null ? null : measured.source,
    level_reason: measured.reason,
    // The caller knows the versions the codings were made under (revealed-codings.ts codedUnder).
    codebook_versions: [],
    mixed_versions: false,
  };
  const empty = {
    ...base,
    metric: null,
    level: null,
    value: null,
    ci: null,
    n_pairable: 0,
    missing: m.cells.filter((c) => c === undefined).length,
    na: 0,
    excluded: 0,
    percent_agreement: null,
    p_below_800: null,
    p_below_667: null,
    others: [],
    prevalence_warning: null,
    verdict: 'insufficient' as const,
    excluded_not_blind: 0,
    excluded_imported: 0,
  };
  if (field.type === 'text') return { ...empty, reason: 'text fields have no agreement coefficient' };
  if (m.coders.length < 2) {
    return { ...empty, metric: 'krippendorff-alpha', reason: `reliability requires at least two coders, got ${m.coders.length}` };
  }
  const d = fieldData(field, m)!;
  const main = d.kind === 'sets' ? setValued(field, d, bootstrap) : singleValued(field, m, d, bootstrap);
  return {
    ...base,
    metric: main.metric,
    level: main.level,
    value: main.alpha.value,
    ci: main.boot ? { low: main.boot.low, high: main.boot.high, level: main.boot.confidence } : null,
    n_pairable: main.alpha.nPairable,
    ...main.counts,
    percent_agreement: main.alpha.percentAgreement,
    p_below_800: probability(main.boot, RELIABLE_ALPHA),
    p_below_667: probability(main.boot, TENTATIVE_ALPHA),
    reason: main.alpha.reason,
    others: main.others,
    prevalence_warning: prevalenceWarning(d, main.alpha.value, main.alpha.percentAgreement),
    verdict: verdictOf(main.boot?.low),
    // The caller knows what was left out before the matrix was built (get-reliability.ts).
    excluded_not_blind: 0,
    excluded_imported: 0,
  };
}
