/**
 * How reliability numbers are written in a report (APA 7): coefficients bounded by 1
 * without a leading zero and with two decimals, percentages whole. Shared by the report
 * service (Markdown, JSON) and the report page, so both say the same.
 */

/** ".81", "-.05", "1.00"; an em dash for no value. */
export function formatCoefficient(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const fixed = Math.abs(value).toFixed(digits);
  const text = fixed.startsWith('0.') ? fixed.slice(1) : fixed;
  // -0.004 rounds to ".00", which carries no sign.
  return value < 0 && Number(fixed) !== 0 ? `-${text}` : text;
}

/** "[.74, .87]" */
export function formatInterval(ci: { low: number | null; high: number | null } | null | undefined): string {
  if (!ci || ci.low === null || ci.high === null) return '—';
  return `[${formatCoefficient(ci.low)}, ${formatCoefficient(ci.high)}]`;
}

/** Share of unit x coder cells without a value: "2%", "<1%" for a few. */
export function formatMissing(missing: number, units: number, coders: number): string {
  const cells = units * coders;
  if (cells === 0 || missing === 0) return '0%';
  const pct = (100 * missing) / cells;
  return pct < 1 ? '<1%' : `${Math.round(pct)}%`;
}

const LEVEL_NAMES: Record<string, string> = {
  nominal: 'nominal',
  ordinal: 'ordinal',
  interval: 'interval',
  ratio: 'ratio',
  masi: 'MASI distance',
  jaccard: 'Jaccard distance',
};

/** "Krippendorff's alpha (ordinal)". */
export function coefficientName(metric: string | null, level: string | null): string {
  if (metric === null) return 'none';
  const names: Record<string, string> = {
    'krippendorff-alpha': "Krippendorff's alpha",
    'cohen-kappa': "Cohen's kappa",
    'fleiss-kappa': "Fleiss' kappa",
    'gwet-ac': "Gwet's AC",
    'multi-valued-alpha': "Krippendorff's multi-valued alpha",
  };
  const name = names[metric] ?? metric;
  return level ? `${name} (${LEVEL_NAMES[level] ?? level})` : name;
}

/** A field label inside a sentence: "Civic impact score" → "civic impact score" (acronyms kept). */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

export const countNoun = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
