/**
 * Where a field's (dis)agreement comes from, on the same matrix as its reliability row:
 * per value (alpha of the value against all others, and its prevalence), per coder pair,
 * each coder against the rest, per incident, and over rounds or weeks. Pure: every number
 * is a function of `@concord/reliability`; nothing here computes a coefficient itself.
 */
import {
  alphaDiagnostics,
  cohenKappa,
  fromRows,
  krippendorffAlpha,
  MISSING,
  percentAgreement,
  selectCoders,
  setAlpha,
  type ReliabilityData,
  type SetReliabilityData,
} from '@concord/reliability';
import type { CoderPair, CoderVsRest, FieldDefinition, FieldReliability, SubsetReliability, ValueReliability } from '@concord/shared';
import { fieldMatrix, NA_LABEL, type FieldMatrix } from './field-matrix.ts';
import { fieldData, fieldReliability, valueCounts, type BootstrapSettings, type FieldData } from './field-reliability.ts';
import type { RevealedCoding } from './revealed-codings.ts';

export interface DrilldownContext {
  /** The project's incidents and rounds, in their display order. */
  incidents: { id: string; name: string }[];
  rounds: { id: string; name: string }[];
}

export interface Drilldown {
  field: FieldReliability;
  values: ValueReliability[];
  pairs: CoderPair[];
  vsRest: CoderVsRest[];
  incidents: SubsetReliability[];
  drift: { by: 'round' | 'week'; points: SubsetReliability[] };
}

const matrixOf = (rows: readonly RevealedCoding[]): FieldMatrix => fieldMatrix(rows.map((r) => ({ unit: r.itemId, coder: r.email, value: r.value })));

function labelOf(field: FieldDefinition, value: string): string {
  if (value === NA_LABEL) return 'N/A';
  if (field.type === 'single_choice' || field.type === 'multiple_choice') return field.options.find((o) => o.value === value)?.label ?? value;
  if (field.type === 'ordinal') return field.scale.find((p) => String(p.value) === value)?.label ?? value;
  return value;
}

/** The field's coefficient on one coder pair or coder subset. */
function alphaOf(d: FieldData, data: ReliabilityData | SetReliabilityData): number | null {
  if (d.kind === 'single') return krippendorffAlpha({ data: data as ReliabilityData, level: d.level }).value;
  return setAlpha({ data: data as SetReliabilityData, distance: 'masi' }).value;
}

/** Sets recoded as "contains option c" (1) or not (0), for the per-value alpha of set fields. */
function presenceOf(data: SetReliabilityData, c: number): ReliabilityData {
  const rows: (string | null)[][] = [];
  for (let u = 0; u < data.nUnits; u++) {
    const row: (string | null)[] = [];
    for (let k = 0; k < data.nCoders; k++) {
      const set = data.values[u * data.nCoders + k] ?? MISSING;
      row.push(set < 0 ? null : data.sets[set]?.includes(c) ? '1' : '0');
    }
    rows.push(row);
  }
  return fromRows({ rows, categories: ['0', '1'], coders: data.coders });
}

function perValue(field: FieldDefinition, d: FieldData, perCategory: (number | null)[] | null): ValueReliability[] {
  const { counts, total } = valueCounts(d);
  return d.data.categories.map((value, c) => ({
    value,
    label: labelOf(field, value),
    alpha: perCategory?.[c] ?? null,
    count: counts[c] ?? 0,
    prevalence: total > 0 ? (counts[c] ?? 0) / total : null,
  }));
}

/** Units where coder `i` and at least one other coder have a value. */
function sharedUnits(data: ReliabilityData | SetReliabilityData, i: number): number {
  let n = 0;
  for (let u = 0; u < data.nUnits; u++) {
    const base = u * data.nCoders;
    if ((data.values[base + i] ?? MISSING) < 0) continue;
    for (let k = 0; k < data.nCoders; k++) {
      if (k !== i && (data.values[base + k] ?? MISSING) >= 0) {
        n++;
        break;
      }
    }
  }
  return n;
}

const mean = (xs: (number | null)[]): number | null => {
  const defined = xs.filter((x): x is number => x !== null);
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : null;
};

function coderBreakdown(d: FieldData, overall: number | null): { pairs: CoderPair[]; vsRest: CoderVsRest[]; perCategory: (number | null)[] | null } {
  const { data } = d;
  const m = data.nCoders;
  const diagnostics = d.kind === 'single' ? alphaDiagnostics({ data: d.data, level: d.level }) : null;
  const pairs: CoderPair[] = [];
  const pairAlpha: (number | null)[][] = Array.from({ length: m }, () => new Array<number | null>(m).fill(null));
  const pairAgreement: (number | null)[][] = Array.from({ length: m }, () => new Array<number | null>(m).fill(null));
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const pair = selectCoders(data, [i, j]);
      const agreement = percentAgreement({ data: pair });
      const alpha = diagnostics ? (diagnostics.pairwise[i]?.[j] ?? null) : alphaOf(d, pair);
      const single = d.kind === 'single' ? (pair as ReliabilityData) : null;
      pairs.push({
        a: data.coders[i] ?? '',
        b: data.coders[j] ?? '',
        n_units: agreement.nPairableUnits,
        percent_agreement: agreement.value,
        kappa: single ? cohenKappa({ data: single }).value : null,
        kappa_quadratic: single && d.kind === 'single' && d.level !== 'nominal' ? cohenKappa({ data: single, weights: 'quadratic' }).value : null,
        alpha,
      });
      pairAlpha[i]![j] = pairAlpha[j]![i] = alpha;
      pairAgreement[i]![j] = pairAgreement[j]![i] = agreement.value;
    }
  }
  const vsRest = data.coders.map((coder, i): CoderVsRest => {
    const rest = data.coders.map((_, k) => k).filter((k) => k !== i);
    const without = m < 3 ? null : diagnostics ? (diagnostics.withoutCoder[i]?.alpha ?? null) : alphaOf(d, selectCoders(data, rest));
    return {
      coder,
      n_units: sharedUnits(data, i),
      alpha_without: without,
      effect: overall !== null && without !== null ? overall - without : null,
      mean_pair_alpha: mean(rest.map((k) => pairAlpha[i]![k] ?? null)),
      mean_pair_agreement: mean(rest.map((k) => pairAgreement[i]![k] ?? null)),
    };
  });
  const perCategory = diagnostics
    ? diagnostics.perCategory.map((p) => p.alpha)
    : d.kind === 'sets'
      ? d.data.categories.map((_, c) => krippendorffAlpha({ data: presenceOf(d.data, c) }).value)
      : null;
  return { pairs, vsRest, perCategory };
}

function subset(field: FieldDefinition, key: string | null, label: string, rows: readonly RevealedCoding[], bootstrap: BootstrapSettings | null): SubsetReliability {
  const r = fieldReliability(field, matrixOf(rows), bootstrap);
  return { key, label, value: r.value, ci: r.ci, n_units: r.n_units, n_coders: r.n_coders, percent_agreement: r.percent_agreement, reason: r.reason };
}

/** Monday (UTC) of the week of `date`, as YYYY-MM-DD. */
export function weekOf(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

function groupBy<K>(rows: readonly RevealedCoding[], keyOf: (r: RevealedCoding) => K): Map<K, RevealedCoding[]> {
  return groupByEach(rows, (r) => [keyOf(r)]);
}

/** Like groupBy, but a row may fall into several groups (an item in several incidents). */
function groupByEach<K>(rows: readonly RevealedCoding[], keysOf: (r: RevealedCoding) => readonly K[]): Map<K, RevealedCoding[]> {
  const groups = new Map<K, RevealedCoding[]>();
  for (const r of rows) {
    for (const k of keysOf(r)) {
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(r);
    }
  }
  return groups;
}

function drift(field: FieldDefinition, rows: readonly RevealedCoding[], ctx: DrilldownContext, bootstrap: BootstrapSettings | null): Drilldown['drift'] {
  const byRound = groupBy(rows, (r) => r.roundId);
  const roundIds = [...byRound.keys()].filter((k): k is string => k !== null);
  if (roundIds.length > 1) {
    const known = ctx.rounds.filter((r) => byRound.has(r.id));
    return { by: 'round', points: known.map((r) => subset(field, r.id, r.name, byRound.get(r.id)!, bootstrap)) };
  }
  // A unit's time is its reveal (its last coder's submission, or an editor's reveal).
  const byWeek = groupBy(rows, (r) => (r.revealedAt ? weekOf(r.revealedAt) : null));
  const weeks = [...byWeek.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return { by: 'week', points: weeks.map((w) => subset(field, w, w === null ? 'Reveal date unknown' : `Week of ${w}`, byWeek.get(w)!, bootstrap)) };
}

/** `rows`: the field's revealed, submitted codings in export order (`loadRevealedCodings`). */
export function fieldDrilldown(field: FieldDefinition, rows: readonly RevealedCoding[], ctx: DrilldownContext, bootstrap: BootstrapSettings | null): Drilldown {
  const m = matrixOf(rows);
  const main = fieldReliability(field, m, bootstrap);
  const d = fieldData(field, m);
  const coders = d && d.data.nCoders >= 2 ? coderBreakdown(d, main.value) : null;
  // An item in several incidents counts under each of them.
  const byIncident = groupByEach(rows, (r) => (r.incidentIds.length ? r.incidentIds : [null]));
  const incidents = [
    ...ctx.incidents.filter((i) => byIncident.has(i.id)).map((i) => subset(field, i.id, i.name, byIncident.get(i.id)!, bootstrap)),
    ...(byIncident.has(null) ? [subset(field, null, 'No incident', byIncident.get(null)!, bootstrap)] : []),
  ];
  return {
    field: main,
    values: d ? perValue(field, d, coders?.perCategory ?? null) : [],
    pairs: coders?.pairs ?? [],
    vsRest: coders?.vsRest ?? [],
    incidents,
    drift: drift(field, rows, ctx, bootstrap),
  };
}
