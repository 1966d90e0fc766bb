/**
 * The workbench as files for writing the report's narrative: Markdown (per frame, then per
 * incident, each item with its reference, link, translation, final values and quoted passages)
 * and CSV (a row per frame, item and passage). Both are the workbench under the same filters,
 * unpaged, so they carry exactly what the page shows: `open` where no final value exists, and
 * no value or passage of an item that is not revealed.
 */
import { countNoun, groupWorkbench, NO_FRAME_LABEL, passageReference, safeHref, type Workbench, type WorkbenchGroup, type WorkbenchItem, type WorkbenchPassage } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { csvTable, type CsvText } from '../export/csv.ts';
import { markdownText } from '../report/report-markdown.ts';
import { loadWorkbench } from './get-workbench.ts';

type WholeWorkbench = Omit<Workbench, 'limit' | 'offset'>;

/** User text inside a line (markdownText: no HTML, link, emphasis or table cell of its own). */
const md = markdownText;
/** User text that begins a list item or a quote: also nothing at its start that opens a block (heading, quote, list). */
const mdBlock = (s: string) => markdownText(s).replace(/^(\s*)([#>+\-=]|\d+[.)])/, '$1\\$2');

/** A link as a CommonMark autolink, http(s) only (`safeHref`), with what would end it escaped. */
const autolink = (url: string | null) => {
  const href = safeHref(url);
  return href ? `<${href.replace(/[<>\s]/g, (c) => encodeURIComponent(c))}>` : null;
};

function frameLabelOf(data: WholeWorkbench) {
  const labels = new Map(data.frames.map((f) => [f.value, f.label]));
  return (p: WorkbenchPassage) => (p.fieldKey === data.frameField?.key ? (labels.get(p.frame) ?? p.frame) : `${p.fieldKey}: ${p.frame}`);
}

function itemMarkdown(data: WholeWorkbench, item: WorkbenchItem, passages: WorkbenchPassage[]): string[] {
  const frameLabel = frameLabelOf(data);
  const link = autolink(item.url);
  const meta = [item.platform, item.publishedAt?.slice(0, 10), item.language].filter(Boolean).join(' · ');
  const lines = [`#### ${md(item.externalId ? `${item.externalId} · ${item.title}` : item.title)}`, ''];
  if (link) lines.push(`- Link: ${link}`);
  if (item.incidents.length) lines.push(`- Incidents: ${md(item.incidents.map((i) => i.name).join('; '))}`);
  if (meta) lines.push(`- ${mdBlock(meta)}`);
  if (item.phase !== 'revealed') lines.push(`- Phase: ${item.phase} (no final values before reveal)`);
  if (item.translation) {
    const language = item.translation.language ? ` (${md(item.translation.language)})` : '';
    lines.push(`- Translation${language}: ${md(item.translation.title ?? '')}`);
    if (item.translation.body) lines.push('', `  > ${mdBlock(item.translation.body)}`, '');
  }
  for (const f of data.fields) {
    const v = item.values[f.key];
    if (!v) continue;
    lines.push(v.provenance === 'open' ? `- **${md(f.label)}**: *open*` : `- **${md(f.label)}** (${v.provenance}): ${md(v.text)}`);
  }
  if (passages.length) {
    lines.push('', 'Passages:', '');
    for (const p of passages) {
      lines.push(`> "${md(p.text)}" (${md(passageReference(item))}; ${md(frameLabel(p))}; tagged by ${md(p.taggedBy.join(', '))})`, '');
    }
  }
  lines.push('');
  return lines;
}

function groupsMarkdown(data: WholeWorkbench, heading: string, groups: WorkbenchGroup[]): string[] {
  if (!groups.length) return [];
  return [`## ${md(heading)}`, '', ...groups.flatMap((g) => [`### ${md(g.label)}`, '', ...g.entries.flatMap((e) => itemMarkdown(data, e.item, e.passages))])];
}

export function workbenchMarkdown(data: WholeWorkbench): string {
  const lines = [
    `# Narrative workbench: ${md(data.project.name)}`,
    '',
    `${countNoun(data.total, 'item')}. Values are the final dataset's (final.csv), with where each comes from; *open* means no final value yet (not revealed, or coders differ without a decision). Passages quote the item's text with its reference; taggers are named as in every export.`,
    '',
    ...groupsMarkdown(data, data.frameField ? `By frame (${data.frameField.label})` : 'Items', groupWorkbench(data, 'frame')),
    ...groupsMarkdown(data, 'By incident', groupWorkbench(data, 'incident')),
  ];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

const LEADING = ['frame', 'frame_label', 'unit', 'external_id', 'title', 'incidents', 'platform', 'published_at', 'url', 'phase', 'language', 'translation_language', 'translation_title', 'translation_text'];
const PASSAGE_COLUMNS = ['passage_field', 'passage_frame', 'passage_start', 'passage_end', 'passage_text', 'tagged_by', 'passage_source'];

/** A row per frame (the frame grouping), item and passage; an item without passages has one row with empty passage cells. */
export function workbenchCsv(data: WholeWorkbench): CsvText {
  const column = (key: string) => (LEADING.includes(key) || PASSAGE_COLUMNS.includes(key) ? `field_${key}` : key);
  const header = [...LEADING, ...data.fields.flatMap((f) => [column(f.key), `${column(f.key)}_provenance`]), ...PASSAGE_COLUMNS];
  const rows = groupWorkbench(data, 'frame').flatMap((g) =>
    g.entries.flatMap(({ item, passages }) => {
      const cells = [
        g.key,
        g.key ? g.label : NO_FRAME_LABEL,
        item.id,
        item.externalId ?? '',
        item.title,
        item.incidents.map((i) => i.name).join('|'),
        item.platform ?? '',
        item.publishedAt ?? '',
        item.url ?? '',
        item.phase,
        item.language ?? '',
        item.translation?.language ?? '',
        item.translation?.title ?? '',
        item.translation?.body ?? '',
        ...data.fields.flatMap((f) => {
          const v = item.values[f.key];
          return v ? [v.provenance === 'open' ? '' : v.text, v.provenance] : ['', ''];
        }),
      ];
      if (!passages.length) return [[...cells, ...PASSAGE_COLUMNS.map(() => '')]];
      return passages.map((p) => [...cells, p.fieldKey, p.frame, String(p.start), String(p.end), p.text, p.taggedBy.join('|'), p.sources.join('|')]);
    }),
  );
  return csvTable(header, rows);
}

export async function exportWorkbenchMarkdown({ ctx, projectId, filters }: { ctx: ServiceContext; projectId: string; filters: Parameters<typeof loadWorkbench>[0]['query'] }): Promise<string> {
  return workbenchMarkdown(await loadWorkbench({ ctx, projectId, query: filters }));
}

export async function exportWorkbenchCsv({ ctx, projectId, filters }: { ctx: ServiceContext; projectId: string; filters: Parameters<typeof loadWorkbench>[0]['query'] }): Promise<CsvText> {
  return workbenchCsv(await loadWorkbench({ ctx, projectId, query: filters }));
}
