/**
 * The numbers `concord reliability` prints: the chosen statistic on the parsed file, its
 * details and the optional bootstrap interval, as the --json report and a summary.
 */
import { bootstrapAlpha, type BootstrapResult, bootstrapStatistic } from './bootstrap.ts';
import { brennanPrediger } from './brennan-prediger.ts';
import type { CliOptions, Metric } from './cli-args.ts';
import { cohenKappa } from './cohen-kappa.ts';
import type { AlphaLevel } from './distance.ts';
import { ReliabilityError, type SourcePosition } from './errors.ts';
import { fleissKappa } from './fleiss-kappa.ts';
import { gwetAC } from './gwet-ac.ts';
import { krippendorffAlpha } from './krippendorff-alpha.ts';
import type { CsvLayout } from './layout.ts';
import type { AgreementResult } from './multi-rater.ts';
import { type CsvInput, parseReliabilityCsv } from './parse.ts';
import { holsti, percentAgreement } from './percent-agreement.ts';
import { parseNumber, type ReliabilityData, type SetReliabilityData } from './reliability-data.ts';
import { scottPi } from './scott-pi.ts';
import { setAlpha } from './set-alpha.ts';
import type { WeightScheme } from './weights.ts';

const CONFIDENCE = 0.95;

/** The machine-readable report (the --json contract). */
export interface CliReport {
  readonly metric: Metric;
  readonly level: string | null;
  readonly weights: WeightScheme | null;
  readonly value: number | null;
  readonly n_units: number;
  readonly n_coders: number;
  readonly n_pairable: number;
  readonly observed_disagreement: number | null;
  readonly expected_disagreement: number | null;
  readonly ci: { readonly low: number | null; readonly high: number | null; readonly level: number } | null;
  readonly reason: string | null;
}


export interface Computed {
  readonly report: CliReport;
  readonly title: string;
  readonly details: string[];
  readonly bootstrap: BootstrapResult | null;
}

const TITLES: Record<Metric, string> = {
  'percent-agreement': 'Percent agreement (pairwise)',
  holsti: "Holsti's CR",
  'cohen-kappa': "Cohen's kappa",
  'scott-pi': "Scott's pi",
  'fleiss-kappa': "Fleiss' kappa",
  'brennan-prediger': 'Brennan-Prediger kappa',
  'gwet-ac': "Gwet's AC",
  'krippendorff-alpha': "Krippendorff's alpha",
};

function coderPosition(nCoders: number, layout: CsvLayout): SourcePosition {
  if (layout === 'long') return { line: 1, column: 2 };
  return { line: 1, column: nCoders < 2 ? Math.max(1, nCoders + 1) : 4 };
}

function requireMetricNumbers(data: ReliabilityData, level: AlphaLevel, positions: ReadonlyMap<string, SourcePosition>): void {
  for (const label of data.categories) {
    const x = parseNumber(label);
    const position = positions.get(label);
    const where = position ? undefined : ' (in --categories)';
    if (x === null) {
      throw new ReliabilityError('NOT_A_NUMBER', `krippendorffAlpha at the ${level} level requires numbers, "${label}" is not a number${where ?? ''}`, position);
    }
    if (level === 'ratio' && x < 0) {
      throw new ReliabilityError('NEGATIVE_VALUE', `krippendorffAlpha at the ratio level requires non-negative numbers, got ${label}${where ?? ''}`, position);
    }
  }
}

function fromAgreement(metric: Metric, result: AgreementResult, weights: WeightScheme | null): Omit<Computed, 'bootstrap'> {
  const details = [`units ${result.nUnits}, coders ${result.nCoders}, units entering agreement ${result.nPairableUnits}`];
  if (result.observedAgreement !== null) {
    details.push(`observed agreement ${fmt(result.observedAgreement, 4)}, expected agreement ${fmt(result.expectedAgreement, 4)}`);
  }
  if (result.percentAgreement !== null) details.push(`percent agreement ${fmt(result.percentAgreement)}`);
  return {
    title: `${TITLES[metric]}${weights && weights !== 'unweighted' ? ` (${weights} weights)` : ''}`,
    details,
    report: {
      metric,
      level: null,
      weights,
      value: result.value,
      n_units: result.nUnits,
      n_coders: result.nCoders,
      n_pairable: result.nPairableUnits,
      observed_disagreement: result.observedAgreement === null ? null : 1 - result.observedAgreement,
      expected_disagreement: result.expectedAgreement === null ? null : 1 - result.expectedAgreement,
      ci: null,
      reason: result.reason,
    },
  };
}

export function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? 'undefined' : x.toFixed(digits);
}

export function compute(options: CliOptions, text: CsvInput): Computed {
  const { metric } = options;
  const sets = metric === 'krippendorff-alpha' && options.distance !== null;
  const bootstrapOptions = options.bootstrap === null ? null : { replicates: options.bootstrap, seed: options.seed, confidence: CONFIDENCE };
  if (sets) {
    const parsed = parseReliabilityCsv(text, { layout: options.layout, field: options.field, categories: options.categories, sets: true });
    const data: SetReliabilityData = parsed.data;
    if (data.nCoders < 2) throw new ReliabilityError('TOO_FEW_CODERS', `krippendorffAlpha requires at least two coders, got ${data.nCoders}`, coderPosition(data.nCoders, parsed.layout));
    const distance = options.distance ?? 'masi';
    const result = setAlpha({ data, distance });
    const boot = bootstrapOptions ? bootstrapAlpha({ data, setDistance: distance, ...bootstrapOptions }) : null;
    return alphaComputed(metric, distance, result, boot);
  }
  const parsed = parseReliabilityCsv(text, { layout: options.layout, field: options.field, categories: options.categories });
  const data = parsed.data;
  const weights = options.weights ?? 'unweighted';
  const twoCoder = metric === 'cohen-kappa' || metric === 'scott-pi';
  if (data.nCoders < 2 || (twoCoder && data.nCoders > 2)) {
    const name = metric === 'cohen-kappa' ? 'cohenKappa' : metric === 'scott-pi' ? 'scottPi' : metric;
    const code = data.nCoders < 2 ? 'TOO_FEW_CODERS' : 'TOO_MANY_CODERS';
    const need = twoCoder ? 'exactly two coders' : 'at least two coders';
    throw new ReliabilityError(code, `${name} requires ${need}, got ${data.nCoders}`, coderPosition(data.nCoders, parsed.layout));
  }
  const statistic = (d: ReliabilityData): number | null => {
    switch (metric) {
      case 'percent-agreement':
        return percentAgreement({ data: d }).value;
      case 'holsti':
        return holsti({ data: d }).value;
      case 'cohen-kappa':
        return cohenKappa({ data: d, weights }).value;
      case 'scott-pi':
        return scottPi({ data: d }).value;
      case 'fleiss-kappa':
        return fleissKappa({ data: d, weights }).value;
      case 'brennan-prediger':
        return brennanPrediger({ data: d }).value;
      case 'gwet-ac':
        return gwetAC({ data: d, weights }).value;
      case 'krippendorff-alpha':
        return krippendorffAlpha({ data: d, level: options.level ?? 'nominal' }).value;
    }
  };
  if (metric === 'krippendorff-alpha') {
    const level = options.level ?? 'nominal';
    if (level === 'interval' || level === 'ratio') requireMetricNumbers(data, level, parsed.labelPositions);
    const result = krippendorffAlpha({ data, level });
    const boot = bootstrapOptions ? bootstrapAlpha({ data, level, ...bootstrapOptions }) : null;
    return alphaComputed(metric, level, result, boot);
  }
  const boot = bootstrapOptions ? bootstrapStatistic({ data, statistic, ...bootstrapOptions }) : null;
  let base: Omit<Computed, 'bootstrap'>;
  switch (metric) {
    case 'percent-agreement':
    case 'holsti': {
      const result = metric === 'holsti' ? holsti({ data }) : percentAgreement({ data });
      base = {
        title: TITLES[metric],
        details: [`units ${result.nUnits}, coders ${result.nCoders}, units with two or more values ${result.nPairableUnits}`],
        report: {
          metric,
          level: null,
          weights: null,
          value: result.value,
          n_units: result.nUnits,
          n_coders: result.nCoders,
          n_pairable: result.nPairableUnits,
          observed_disagreement: result.value === null ? null : 1 - result.value,
          expected_disagreement: null,
          ci: null,
          reason: result.reason,
        },
      };
      break;
    }
    case 'cohen-kappa': {
      const result = cohenKappa({ data, weights });
      base = fromAgreement(metric, result, weights);
      if (result.standardError !== null) base.details.push(`asymptotic standard error ${fmt(result.standardError)}`);
      base.details.push(`prevalence index ${fmt(result.prevalenceIndex)}, bias index ${fmt(result.biasIndex)}`);
      break;
    }
    case 'scott-pi':
      base = fromAgreement(metric, scottPi({ data }), null);
      break;
    case 'fleiss-kappa':
      base = fromAgreement(metric, fleissKappa({ data, weights }), weights);
      break;
    case 'brennan-prediger':
      base = fromAgreement(metric, brennanPrediger({ data }), null);
      break;
    case 'gwet-ac':
      base = fromAgreement(metric, gwetAC({ data, weights }), weights);
      break;
  }
  return withBootstrap(base, boot);
}

function withBootstrap(base: Omit<Computed, 'bootstrap'>, boot: BootstrapResult | null): Computed {
  if (boot === null) return { ...base, bootstrap: null };
  return { ...base, bootstrap: boot, report: { ...base.report, ci: { low: boot.low, high: boot.high, level: boot.confidence } } };
}

function alphaComputed(
  metric: Metric,
  level: string,
  result: {
    value: number | null;
    reason: string | null;
    nUnits: number;
    nCoders: number;
    nPairable: number;
    nPairableUnits: number;
    observedDisagreement: number | null;
    expectedDisagreement: number | null;
    percentAgreement: number | null;
  },
  boot: BootstrapResult | null,
): Computed {
  const details = [
    `units ${result.nUnits}, coders ${result.nCoders}, pairable values ${result.nPairable} in ${result.nPairableUnits} units`,
  ];
  if (result.observedDisagreement !== null) {
    details.push(`observed disagreement ${fmt(result.observedDisagreement, 4)}, expected disagreement ${fmt(result.expectedDisagreement, 4)}`);
  }
  details.push(`percent agreement ${fmt(result.percentAgreement)}`);
  return withBootstrap(
    {
      title: `${TITLES[metric]} (${level})`,
      details,
      report: {
        metric,
        level,
        weights: null,
        value: result.value,
        n_units: result.nUnits,
        n_coders: result.nCoders,
        n_pairable: result.nPairable,
        observed_disagreement: result.observedDisagreement,
        expected_disagreement: result.expectedDisagreement,
        ci: null,
        reason: result.reason,
      },
    },
    boot,
  );
}

export function summary(computed: Computed): string {
  const { report, bootstrap } = computed;
  const head = report.value === null ? `${computed.title}: undefined (${report.reason ?? 'no reason given'})` : `${computed.title}: ${fmt(report.value)}`;
  const lines = [head, ...computed.details.map((d) => `  ${d}`)];
  if (bootstrap) {
    lines.push(
      `  ${Math.round(bootstrap.confidence * 100)}% CI ${fmt(bootstrap.low)} to ${fmt(bootstrap.high)} ` +
        `(percentile bootstrap resampling units, ${bootstrap.replicates} replicates, seed ${bootstrap.seed ?? 'custom'}, ${bootstrap.skipped} skipped)`,
    );
    if (report.metric === 'krippendorff-alpha') {
      lines.push(`  ${bootstrap.probabilityBelow.map((p) => `P(alpha < ${p.threshold.toFixed(3).replace(/^0/, '')}) = ${fmt(p.probability)}`).join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

