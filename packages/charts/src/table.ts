/**
 * A table as SVG (Table 1 of the seed report: parent frame, child frames, counts), for
 * downloads and print; the web page shows the same data as an HTML table.
 */
import { escapeXml, slug, svgDocument, textLines, wrapLabel } from './svg.ts';

export interface TableRow {
  cells: string[];
  /** Indentation level of the first cell (child rows under their parent). */
  indent?: number;
  /** Bold row (e.g. a parent frame). */
  strong?: boolean;
}

export interface TableInput {
  title: string;
  description: string;
  columns: string[];
  rows: TableRow[];
  note?: string;
  /** One line under the note on what the table rests on (e.g. the share of items still open). */
  share?: string;
  width?: number;
  id?: string;
}

const ROW_LINE = 14;
const PAD = 6;

export function tableChart(input: TableInput): string {
  const width = Math.max(360, input.width ?? 720);
  const id = input.id ?? slug(input.title);
  const n = input.columns.length;
  if (n === 0) throw new RangeError('tableChart requires at least one column');
  for (const r of input.rows) if (r.cells.length !== n) throw new RangeError(`tableChart requires ${n} cells per row, got ${r.cells.length}`);
  // The first column takes what the numeric columns leave.
  const numericWidth = 90;
  const firstWidth = width - 24 - (n - 1) * numericWidth;
  const colX = [12, ...Array.from({ length: n - 1 }, (_, i) => 12 + firstWidth + (i + 1) * numericWidth)];
  let y = 24;
  let body = `<text x="12" y="${y}" font-size="16" font-weight="600" class="chart-title">${escapeXml(input.title)}</text>`;
  const noteLines = wrapLabel(input.note ?? input.description, Math.floor((width - 24) / 6.2), 8);
  y += 22;
  body += textLines(noteLines, 12, y, 'fill="#444444" class="note"', ROW_LINE);
  y += (noteLines.length - 1) * ROW_LINE + 18;
  if (input.share) {
    const shareLines = wrapLabel(input.share, Math.floor((width - 24) / 6.5), 3);
    body += textLines(shareLines, 12, y, 'font-weight="600" class="share"', ROW_LINE);
    y += shareLines.length * ROW_LINE + 8;
  }
  const cell = (text: string, col: number, rowY: number, attrs: string) =>
    col === 0 ? textLines([text], colX[0]!, rowY, attrs) : `<text x="${colX[col]! - PAD}" y="${rowY}" text-anchor="end" ${attrs}>${escapeXml(text)}</text>`;
  body += `<g class="header" font-weight="600">${input.columns.map((c, i) => cell(c, i, y, 'class="th"')).join('')}</g>`;
  body += `<line x1="12" y1="${y + 6}" x2="${width - 12}" y2="${y + 6}" stroke="#888888"/>`;
  y += 8;
  if (input.rows.length === 0) {
    body += `<text x="12" y="${y + 18}" class="empty" fill="#444444">No data to show.</text>`;
    y += 24;
  }
  for (const row of input.rows) {
    const indent = (row.indent ?? 0) * 16;
    const lines = wrapLabel(row.cells[0]!, Math.floor((firstWidth - indent - PAD) / 6.5), 3);
    const h = lines.length * ROW_LINE + PAD;
    const baseline = y + ROW_LINE;
    body += `<g class="row"${row.strong ? ' font-weight="600"' : ''} data-cells="${escapeXml(JSON.stringify(row.cells))}">`;
    body += textLines(lines, 12 + indent, baseline, 'class="td"', ROW_LINE);
    for (let i = 1; i < n; i++) body += cell(row.cells[i]!, i, baseline, 'class="td value"');
    body += '</g>';
    y += h;
    body += `<line x1="12" y1="${y}" x2="${width - 12}" y2="${y}" stroke="#dddddd"/>`;
  }
  return svgDocument({ id, title: input.title, description: input.description, width, height: y + 12, body });
}
