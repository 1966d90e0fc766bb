/**
 * Horizontal bar charts, one series (Chart 1, Chart 2) or grouped series (Chart 3, the
 * impact distribution per incident). Horizontal, so long frame names stay readable.
 * Every bar carries its number as text and a <title>; the description names what is counted.
 */
import { escapeXml, formatNumber, PALETTE, slug, svgDocument, textLines, wrapLabel } from './svg.ts';

export interface BarSeries {
  name: string;
  /** One value per category, in category order. */
  values: number[];
}

export interface BarChartInput {
  title: string;
  /** What the chart shows and how it counted: read by screen readers, printed under the title. */
  description: string;
  categories: string[];
  series: BarSeries[];
  /** A short line under the title (e.g. the counting rule). Defaults to the description. */
  note?: string;
  /** One line under the note on what the chart rests on (e.g. the share of items still open). */
  share?: string;
  width?: number;
  /** Prefix of the ids inside the SVG; give each chart on a page its own. */
  id?: string;
}

const LABEL_WIDTH = 250;
const LABEL_CHARS = 38;
const LABEL_LINES = 3;
const LINE_HEIGHT = 14;
const BAR_HEIGHT = 18;
const GROUP_GAP = 10;
const VALUE_ROOM = 56;

export function barChart(input: BarChartInput): string {
  const width = Math.max(360, input.width ?? 720);
  const id = input.id ?? slug(input.title);
  const series = input.series.length ? input.series : [{ name: '', values: [] }];
  for (const s of series) {
    if (s.values.length !== input.categories.length) {
      throw new RangeError(`barChart requires one value per category: series "${s.name}" has ${s.values.length}, categories ${input.categories.length}`);
    }
    for (const v of s.values) if (!Number.isFinite(v) || v < 0) throw new RangeError(`barChart requires finite values >= 0, got ${v}`);
  }
  const grouped = series.length > 1;
  let body = '';
  let y = 24;
  body += `<text x="12" y="${y}" font-size="16" font-weight="600" class="chart-title">${escapeXml(input.title)}</text>`;
  y += 8;
  const noteLines = wrapLabel(input.note ?? input.description, Math.floor((width - 24) / 6.2), 8);
  y += LINE_HEIGHT;
  body += textLines(noteLines, 12, y, 'fill="#444444" class="note"', LINE_HEIGHT);
  y += (noteLines.length - 1) * LINE_HEIGHT + 10;
  if (input.share) {
    const shareLines = wrapLabel(input.share, Math.floor((width - 24) / 6.5), 3);
    y += LINE_HEIGHT;
    body += textLines(shareLines, 12, y, 'font-weight="600" class="share"', LINE_HEIGHT);
    y += (shareLines.length - 1) * LINE_HEIGHT + 10;
  }

  if (grouped) {
    let x = 12;
    y += 12;
    body += '<g class="legend">';
    for (const [i, s] of series.entries()) {
      const label = wrapLabel(s.name, 90, 1)[0] ?? '';
      if (x > 12 && x + 24 + label.length * 6.5 > width - 12) {
        x = 12;
        y += 18;
      }
      body += `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`;
      body += `<text x="${x + 16}" y="${y}" class="legend-item">${escapeXml(label)}<title>${escapeXml(s.name)}</title></text>`;
      x += 30 + label.length * 6.5;
    }
    body += '</g>';
    y += 8;
  }
  y += 12;

  if (input.categories.length === 0) {
    body += `<text x="12" y="${y + 14}" class="empty" fill="#444444">No data to show.</text>`;
    return svgDocument({ id, title: input.title, description: input.description, width, height: y + 32, body });
  }

  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const plotWidth = width - LABEL_WIDTH - VALUE_ROOM - 12;
  const axisX = LABEL_WIDTH + 12;
  const top = y;
  for (const [c, category] of input.categories.entries()) {
    const lines = wrapLabel(category, LABEL_CHARS, LABEL_LINES);
    const barsHeight = series.length * BAR_HEIGHT;
    const groupHeight = Math.max(barsHeight, lines.length * LINE_HEIGHT + 4);
    const labelTop = y + (groupHeight - lines.length * LINE_HEIGHT) / 2 + 11;
    body += `<g class="category" data-category="${escapeXml(category)}">`;
    body += textLines(lines, LABEL_WIDTH, labelTop, 'text-anchor="end" class="label"', LINE_HEIGHT);
    let barY = y + (groupHeight - barsHeight) / 2;
    for (const [i, s] of series.entries()) {
      const value = s.values[c]!;
      const w = (value / max) * plotWidth;
      const name = grouped ? `${category}, ${s.name}` : category;
      body +=
        `<g class="bar" data-category="${escapeXml(category)}" data-series="${escapeXml(s.name)}" data-value="${value}">` +
        `<title>${escapeXml(name)}: ${formatNumber(value)}</title>` +
        `<rect x="${axisX}" y="${barY + 2}" width="${w.toFixed(1)}" height="${BAR_HEIGHT - 4}" fill="${PALETTE[i % PALETTE.length]}"/>` +
        `<text x="${(axisX + w + 4).toFixed(1)}" y="${barY + BAR_HEIGHT - 5}" class="value">${formatNumber(value)}</text>` +
        `</g>`;
      barY += BAR_HEIGHT;
    }
    body += '</g>';
    y += groupHeight + GROUP_GAP;
  }
  body += `<line x1="${axisX}" y1="${top - 4}" x2="${axisX}" y2="${y - GROUP_GAP + 4}" stroke="#888888"/>`;
  return svgDocument({ id, title: input.title, description: input.description, width, height: y + 8, body });
}
