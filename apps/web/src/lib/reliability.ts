/**
 * Presentation of reliability numbers: Krippendorff's verdicts, number formats, the
 * dashboard's filters in the URL, and the axis of interval bars.
 */
import {
  alphaExplanation,
  COEFFICIENT_EXPLANATIONS,
  companionCoefficients,
  RELIABLE_ALPHA,
  TENTATIVE_ALPHA,
  type FieldReliability,
} from '@concord/shared';

/** `depends()` key of the reliability pages: invalidated when project events say the data changed. */
export const RELIABILITY_DEPENDENCY = 'concord:reliability';

export type VerdictKey = 'reliable' | 'tentative' | 'unreliable' | 'none';

/** Krippendorff (2004, p. 241): rely on alpha >= .800; draw tentative conclusions from >= .667. */
export function verdict(value: number | null): { key: VerdictKey; label: string } {
  if (value === null) return { key: 'none', label: 'undefined' };
  if (value >= RELIABLE_ALPHA) return { key: 'reliable', label: 'reliable' };
  if (value >= TENTATIVE_ALPHA) return { key: 'tentative', label: 'tentative' };
  return { key: 'unreliable', label: 'unreliable' };
}

/** A coefficient as methods sections print it: three decimals, no leading zero (.812, −.045, 1.000). */
export function coef(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const text = Math.abs(value).toFixed(digits).replace(/^0\./, '.');
  return value < 0 && Number(text) !== 0 ? `−${text}` : text;
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`;
}

/** The name of a row's main coefficient: "alpha (ordinal)", "alpha (MASI)". */
export function metricName(f: Pick<FieldReliability, 'metric' | 'level'>): string {
  if (f.metric === null) return 'none';
  const name = f.metric === 'krippendorff-alpha' ? 'α' : f.metric;
  return f.level ? `${name} (${f.level === 'masi' ? 'MASI' : f.level})` : name;
}

/**
 * The kappa and Gwet coefficient shown beside a row's alpha, chosen by its measurement level
 * (weighted kappa and AC2 for scales, unweighted kappa and AC1 for nominal data), with their
 * column symbols and the tooltip texts that explain them.
 */
export function companions(f: Pick<FieldReliability, 'level' | 'others'>) {
  const { weights, kappa, ac } = companionCoefficients(f);
  const weighted = weights === 'quadratic';
  return {
    weights,
    kappa,
    ac,
    kappaSymbol: weighted ? 'κw' : 'κ',
    acSymbol: weighted ? 'AC2' : 'AC1',
    kappaText: COEFFICIENT_EXPLANATIONS.kappa[weights],
    acText: COEFFICIENT_EXPLANATIONS.ac[weights],
  };
}

/** The tooltip of a row's main coefficient: what it measures and, when the codebook sets the level, why. */
export function coefficientTip(f: Pick<FieldReliability, 'metric' | 'level' | 'level_source' | 'level_reason' | 'type'>): string {
  if (f.metric === null) return alphaExplanation(null);
  const why = f.level_source === 'codebook' ? ` The codebook sets this ${f.type === 'ordinal' ? 'ordinal scale' : 'field'} to ${f.level}${f.level_reason ? `: ${f.level_reason}` : ''}.` : '';
  return `${alphaExplanation(f.level)}${why}`;
}

/** "version 2" or "versions 1, 2": the versions codings were made under. */
export function versionsText(versions: readonly number[]): string {
  return versions.length === 1 ? `version ${versions[0]}` : `versions ${versions.join(', ')}`;
}

/** Whether the codings were made under anything but the current version alone (then say so beside it). */
export function codedUnderOther(current: number, codedUnder: readonly number[]): boolean {
  return codedUnder.length > 0 && !(codedUnder.length === 1 && codedUnder[0] === current);
}

export interface ReliabilityFilters {
  incident: string;
  round: string;
  /** Coder emails (or ids). */
  coders: string[];
  /** Count imported codings too (the methodologist's explicit choice). */
  includeImported: boolean;
}

export function parseReliabilityFilters(params: URLSearchParams): ReliabilityFilters {
  const coders = (params.get('coders') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return { incident: params.get('incident') ?? '', round: params.get('round') ?? '', coders: [...new Set(coders)], includeImported: params.get('includeImported') === 'true' };
}

/** The API query for the filters (empty ones left out). */
export function reliabilityApiQuery(f: ReliabilityFilters): { incident?: string; round?: string; coders?: string; includeImported?: 'true' } {
  return {
    ...(f.incident ? { incident: f.incident } : {}),
    ...(f.round ? { round: f.round } : {}),
    ...(f.coders.length ? { coders: f.coders.join(',') } : {}),
    ...(f.includeImported ? { includeImported: 'true' as const } : {}),
  };
}

/** The filters as a URL search ("" when none), so that filtered views can be linked. */
export function reliabilitySearch(f: ReliabilityFilters): string {
  const params = new URLSearchParams(reliabilityApiQuery(f));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The axis of interval bars: 0..1, or -1..1 when anything shown is negative. */
export function axisDomain(values: readonly (number | null | undefined)[]): [number, number] {
  return values.some((v) => v !== null && v !== undefined && v < 0) ? [-1, 1] : [0, 1];
}

/** x in the domain mapped to 0..width, clamped (bootstrap bounds can reach below -1). */
export function scaleX(x: number, domain: readonly [number, number], width: number): number {
  const [lo, hi] = domain;
  return (Math.min(hi, Math.max(lo, x)) - lo) / (hi - lo) * width;
}

