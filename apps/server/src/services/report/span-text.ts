/**
 * The span section of the report: a methods paragraph that names the definition, and the
 * Markdown tables (per field, per frame, per coder pair, per incident).
 */
import { countNoun, formatCoefficient, formatInterval, inSentence, type Report, type SpanCoefficient, type SpanReliability } from '@concord/shared';

const value = (c: SpanCoefficient) => (c.value === null ? 'n/a' : formatCoefficient(c.value));
const withCi = (c: SpanCoefficient) => (c.value === null ? `could not be computed (${c.reason ?? 'no data'})` : `${formatCoefficient(c.value)}${c.ci ? `, 95% CI ${formatInterval(c.ci)}` : ''}`);

export function spanParagraph(s: SpanReliability): string {
  const fields = s.fields.map(
    (f) =>
      `For ${inSentence(f.label)}, u-alpha was ${withCi(f.overall.u)}, |u-alpha ${withCi(f.overall.binary)} and cu-alpha ${withCi(f.overall.cu)} (${countNoun(f.overall.n_items, 'item')}, ${countNoun(f.overall.n_coders, 'coder')}, ${countNoun(f.overall.n_tags, 'tag')}).`,
  );
  const excluded = s.excluded_not_blind > 0 ? ` Tags of ${countNoun(s.excluded_not_blind, 'submission')} not made blind were left out.` : '';
  if (!s.fields.length) return 'The codebook has no multiple-choice field to tag spans with, so no span agreement is reported.';
  return `Span agreement: ${s.definition.text}${excluded} ${fields.join(' ')}`;
}

/** Markdown lines of the span section; `cell` escapes labels. */
export function spanMarkdown(spans: Report['spans'], cell: (s: string) => string): string[] {
  if (!spans.fields.length) return [];
  return [
    '## Span agreement (unitizing alphas)',
    '',
    cell(spans.paragraph),
    '',
    ...spans.fields.flatMap((f) => [
      `### ${cell(f.label)}`,
      '',
      '| Frame | Tags | u-alpha | 95% CI | cu-alpha | 95% CI | Coverage |',
      '|---|---:|---:|---|---:|---|---:|',
      ...f.frames.map(
        (r) =>
          `| ${cell(r.label)} | ${r.n_tags} | ${value(r.u)} | ${formatInterval(r.u.ci)} | ${value(r.cu)} | ${formatInterval(r.cu.ci)} | ${r.coverage === null ? 'n/a' : `${Math.round(r.coverage * 100)}%`} |`,
      ),
      '',
      '| Coders / incident | Items | u-alpha | 95% CI | cu-alpha | 95% CI |',
      '|---|---:|---:|---|---:|---|',
      ...f.pairs.map((p) => `| ${cell(p.coders.join(' & '))} | ${p.n_items} | ${value(p.u)} | ${formatInterval(p.u.ci)} | ${value(p.cu)} | ${formatInterval(p.cu.ci)} |`),
      ...f.incidents.map((p) => `| ${cell(p.incident.name)} | ${p.n_items} | ${value(p.u)} | ${formatInterval(p.u.ci)} | ${value(p.cu)} | ${formatInterval(p.cu.ci)} |`),
      '',
    ]),
  ];
}
