/**
 * The sentences of a reliability report, in APA style: one methods paragraph per field
 * ("Krippendorff's alpha (ordinal) for civic impact score was .81, 95% CI [.74, .87],
 * 24 items, 3 coders, 2% missing.") and the statement made once for all of them.
 */
import {
  coefficientName,
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
  return text;
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

export function methodsStatement(input: {
  items: number;
  coders: number;
  codebookName: string;
  codebookVersion: number;
  bootstrap: { replicates: number; seed: number };
}): string {
  const data =
    `Reliability was computed on the submitted codings of ${countNoun(input.items, 'item')} by ${countNoun(input.coders, 'coder')}, ` +
    `coded independently and before any adjudication, under the codebook "${input.codebookName}", version ${input.codebookVersion}.`;
  const boot =
    input.bootstrap.replicates > 0
      ? ` Confidence intervals are 95% percentile bootstrap intervals over items (${input.bootstrap.replicates.toLocaleString('en-US')} replicates, seed ${input.bootstrap.seed}); ` +
        `P(alpha < ${formatCoefficient(RELIABLE_ALPHA, 3)}) is the share of bootstrap replicates below ${formatCoefficient(RELIABLE_ALPHA, 3)}, ` +
        `Krippendorff's threshold for reliable data (${formatCoefficient(TENTATIVE_ALPHA, 3)} for tentative conclusions).`
      : ' No bootstrap was run, so no confidence intervals are reported.';
  return `${data}${boot} Coefficients were computed with Concord (@concord/reliability).`;
}
