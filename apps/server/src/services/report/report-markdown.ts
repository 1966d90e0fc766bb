/** The report as a Markdown file: methods, the table, codebook version and the data hash. */
import { CHART_COUNTING_RULE, type ChartData, type Report } from '@concord/shared';
import { spanMarkdown } from './span-text.ts';

/**
 * Names, labels and emails as Markdown text. A label could otherwise open a line of its own
 * (a heading, a list), raw HTML (`<img onerror>`, which many viewers render), a link or image
 * (`[x](javascript:…)`), emphasis, code or a table cell. Escapes only what can start such
 * markup, so ordinary sentences ("95% CI [.74, .87]", "<1% missing") keep their bytes.
 */
export function markdownText(s: string): string {
  return s
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/[\\`*_~|]/g, '\\$&')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#|[A-Za-z][A-Za-z0-9]*;)/g, '\\&')
    .replace(/!\[/g, '\\![')
    .replace(/\]\(/g, ']\\(');
}
const cell = markdownText;

/** ", codings made under versions 1 and 2", unless every coding was made under the current version. */
function codedUnderNote(c: Report['codebook']): string {
  if (c.codedUnder.length === 0 || (c.codedUnder.length === 1 && c.codedUnder[0] === c.version)) return '';
  return `; codings made under version${c.codedUnder.length > 1 ? 's' : ''} ${c.codedUnder.join(', ')}${c.codedUnder.length > 1 ? ' (mixed)' : ''}`;
}

export function reportMarkdown(r: Report): string {
  const lines = [
    `# Reliability report: ${markdownText(r.project.name)}`,
    '',
    `Codebook "${markdownText(r.codebook.name)}", version ${r.codebook.version}${codedUnderNote(r.codebook)}. Coders: ${r.coders.map((c) => markdownText(c.label)).join(', ') || 'none yet'}.`,
    '',
    '## Methods',
    '',
    markdownText(r.methods),
    '',
    ...r.fields.flatMap((f) => (f.paragraph ? [markdownText(f.paragraph), ''] : [])),
    '## Reliability by field',
    '',
    '| Field | Coefficient | Value | 95% CI | n | Coders | Missing | P(alpha < .800) |',
    '|---|---|---:|---|---:|---:|---:|---:|',
    ...r.fields
      .filter((f) => f.reliability.metric !== null)
      .map((f) => `| ${cell(f.label)} | ${cell(f.row.coefficient)} | ${f.row.value} | ${f.row.ci} | ${f.row.n} | ${f.row.coders} | ${f.row.missing} | ${f.row.pBelow800} |`),
    '',
    ...spanMarkdown(r.spans, cell),
    ...exhibitsMarkdown(r),
    '## Data',
    '',
    `SHA-256: \`${r.hash.value}\``,
    '',
    r.hash.covers,
    '',
  ];
  return lines.join('\n');
}

/** Each exhibit as a Markdown table with its open share and the paths of its SVG and CSV files. */
function exhibitsMarkdown(r: Report): string[] {
  if (!r.exhibits.length) return [];
  // Table 1's rows below a parent frame are indented with em spaces: Markdown tables drop leading spaces.
  const depthOf = (c: ChartData) => {
    const depth = new Map<string, number>();
    for (const x of c.categories) depth.set(x.key, x.parent === null ? 0 : (depth.get(x.parent) ?? 0) + 1);
    return depth;
  };
  return [
    '## Exhibits',
    '',
    markdownText(CHART_COUNTING_RULE),
    '',
    ...r.exhibits.flatMap((c) => {
      const depth = c.chart === 'frames-table' ? depthOf(c) : new Map<string, number>();
      const files = (['svg', 'csv'] as const).map((f) => `\`/api/projects/${r.project.id}/charts/${c.chart}.${f}\``).join(', ');
      return [
        `**${markdownText(c.title)}**`,
        '',
        `${markdownText(c.share)} Files: ${files}.`,
        '',
        `| ${cell(c.fieldLabel)} | ${c.series.map((s) => cell(s.label)).join(' | ')} |`,
        `|---|${c.series.map(() => '---:').join('|')}|`,
        ...c.categories.map((x, i) => `| ${'\u2003'.repeat(depth.get(x.key) ?? 0)}${cell(x.label)} | ${c.series.map((s) => s.values[i] ?? 0).join(' | ')} |`),
        '',
      ];
    }),
  ];
}
