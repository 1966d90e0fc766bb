/**
 * The sentences of a reliability report, in APA style: one methods paragraph per field
 * ("Krippendorff's alpha (ordinal) for civic impact score was .81, 95% CI [.74, .87],
 * 24 items, 3 coders, 2% missing.") and the statement made once for all of them.
 */
import {
  coefficientName,
  companionCoefficients,
  countNoun,
  formatCoefficient,
  formatInterval,
  formatMissing,
  inSentence,
  RELIABLE_ALPHA,
  TENTATIVE_ALPHA,
  type FieldReliability,
  type ReportField,
} from '@concord/shared';

export function fieldParagraph(f: FieldReliability): string | null {
  if (f.metric === null) return null;
  const name = coefficientName(f.metric, f.level);
  const counts = `${countNoun(f.n_units, 'item')}, ${countNoun(f.n_coders, 'coder')}, ${formatMissing(f.missing, f.n_units, f.n_coders)} missing`;
  let text =
    f.value === null
      ? `${name} for ${inSentence(f.label)} could not be computed (${f.reason ?? 'no pairable values'}; ${counts}).`
      : `${name} for ${inSentence(f.label)} was ${formatCoefficient(f.value)}${f.ci ? `, ${Math.round(f.ci.level * 100)}% CI ${formatInterval(f.ci)}` : ''}, ${counts}.`;
  if (f.na > 0 && f.level !== 'nominal' && f.type !== 'single_choice' && f.type !== 'multiple_choice') {
    text += ` ${countNoun(f.na, 'N/A answer')} ${f.na === 1 ? 'was' : 'were'} left out, N/A being no point of the scale.`;
  }
  if (f.excluded > 0) text += ` ${countNoun(f.excluded, 'value')} coded under an earlier codebook version ${f.excluded === 1 ? 'was' : 'were'} left out.`;
  return text + levelSentence(f) + companionSentence(f) + versionSentence(f);
}

/** The level the codebook sets, when it is not the type's default, with the reason it records. */
function levelSentence(f: FieldReliability): string {
  if (f.level_source !== 'codebook') return '';
  const reason = f.level_reason ? `: ${f.level_reason.replace(/[.\s]+$/, '')}` : '';
  return ` The codebook treats ${inSentence(f.label)} (${f.type === 'ordinal' ? 'an ordinal scale' : 'a number'}) as ${f.level}${reason}.`;
}

/** For a scale, the kappa family with the weights that fit it (never the unweighted kappa beside a scale's alpha). */
function companionSentence(f: FieldReliability): string {
  const { weights, kappa, ac } = companionCoefficients(f);
  if (weights !== 'quadratic' || (kappa?.value ?? null) === null || (ac?.value ?? null) === null) return '';
  const kappaName = kappa!.metric === 'cohen-kappa' ? "Cohen's kappa" : "Fleiss' kappa";
  return ` With quadratic weights, which credit near misses on the scale, ${kappaName} was ${formatCoefficient(kappa!.value)} and Gwet's AC2 ${formatCoefficient(ac!.value)}.`;
}

/** "1 (12 codings) and 2 (30 codings)" */
function versionList(versions: readonly { version: number; codings: number }[]): string {
  const parts = versions.map((v) => `${v.version} (${countNoun(v.codings, 'coding')})`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
}

function versionSentence(f: FieldReliability): string {
  if (!f.mixed_versions) return '';
  return ` Mixed codebook versions: the codings of ${inSentence(f.label)} were made under versions ${versionList(f.codebook_versions)}.`;
}

export function fieldRow(f: FieldReliability): ReportField['row'] {
  return {
    coefficient: coefficientName(f.metric, f.level),
    value: formatCoefficient(f.value),
    ci: formatInterval(f.ci),
    n: String(f.n_units),
    coders: String(f.n_coders),
    missing: formatMissing(f.missing, f.n_units, f.n_coders),
    pBelow800: formatCoefficient(f.p_below_800),
  };
}

const andList = (xs: readonly (string | number)[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : String(xs[0] ?? ''));

/**
 * Which codebook version(s) the codings were made under, as they were: the current version
 * only when every coding was made under it. Mixed versions are named, with the fields they mix.
 */
export function versionStatement(input: { codebookName: string; codebookVersion: number; codedUnder: readonly number[]; mixedFields: readonly string[] }): string {
  const { codebookName: name, codebookVersion: current, codedUnder } = input;
  if (codedUnder.length === 0) return `The codebook is "${name}", version ${current}; no codings are used yet.`;
  if (codedUnder.length === 1 && codedUnder[0] === current) return `Every coding used was made under the codebook "${name}", version ${current}, the current one.`;
  const made =
    codedUnder.length === 1
      ? `Every coding used was made under the codebook "${name}", version ${codedUnder[0]}`
      : `The codings used were made under versions ${andList(codedUnder)} of the codebook "${name}"`;
  const mixed = input.mixedFields.length ? ` (mixed versions within ${andList(input.mixedFields.map(inSentence))}, see below)` : '';
  return `${made}${mixed}; they are read with the field definitions of the current version, ${current}, and values that no longer fit them are left out.`;
}

export function methodsStatement(input: {
  items: number;
  coders: number;
  codebookName: string;
  codebookVersion: number;
  /** The versions the used codings were made under (ReliabilityReport.codedUnderVersions). */
  codedUnder: readonly number[];
  /** Labels of the fields whose codings mix versions. */
  mixedFields: readonly string[];
  bootstrap: { replicates: number; seed: number };
}): string {
  const data =
    `Reliability was computed on the submitted codings of ${countNoun(input.items, 'item')} by ${countNoun(input.coders, 'coder')}, ` +
    `coded independently and before any adjudication. ${versionStatement(input)}`;
  const boot =
    input.bootstrap.replicates > 0
      ? ` Confidence intervals are 95% percentile bootstrap intervals over items (${input.bootstrap.replicates.toLocaleString('en-US')} replicates, seed ${input.bootstrap.seed}); ` +
        `P(alpha < ${formatCoefficient(RELIABLE_ALPHA, 3)}) is the share of bootstrap replicates below ${formatCoefficient(RELIABLE_ALPHA, 3)}, ` +
        `Krippendorff's threshold for reliable data (${formatCoefficient(TENTATIVE_ALPHA, 3)} for tentative conclusions).`
      : ' No bootstrap was run, so no confidence intervals are reported.';
  return `${data}${boot} Coefficients were computed with Concord (@concord/reliability).`;
}
