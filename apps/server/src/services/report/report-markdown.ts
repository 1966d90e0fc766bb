/** The report as a Markdown file: methods, the table, codebook version and the data hash. */
import type { Report } from '@concord/shared';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function reportMarkdown(r: Report): string {
  const lines = [
    `# Reliability report: ${r.project.name}`,
    '',
    `Codebook "${r.codebook.name}", version ${r.codebook.version}. Coders: ${r.coders.map((c) => c.email).join(', ') || 'none yet'}.`,
    '',
    '## Methods',
    '',
    r.methods,
    '',
    ...r.fields.flatMap((f) => (f.paragraph ? [f.paragraph, ''] : [])),
    '## Reliability by field',
    '',
    '| Field | Coefficient | Value | 95% CI | n | Coders | Missing | P(alpha < .800) |',
    '|---|---|---:|---|---:|---:|---:|---:|',
    ...r.fields
      .filter((f) => f.reliability.metric !== null)
      .map((f) => `| ${cell(f.label)} | ${cell(f.row.coefficient)} | ${f.row.value} | ${f.row.ci} | ${f.row.n} | ${f.row.coders} | ${f.row.missing} | ${f.row.pBelow800} |`),
    '',
    '## Data',
    '',
    `SHA-256: \`${r.hash.value}\``,
    '',
    r.hash.covers,
    '',
  ];
  return lines.join('\n');
}
