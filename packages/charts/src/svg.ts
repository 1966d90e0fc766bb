/** XML text and attribute escaping: the only way a label reaches the markup. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A number as a chart shows it: integers plain, others with up to two decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, '');
}

/** An id fragment from free text (for the title/desc ids, unique per chart on a page). */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'chart'
  );
}

/**
 * Splits a label into at most `maxLines` lines of about `maxChars` characters, at spaces
 * where it can; a label that does not fit ends with an ellipsis (the full text stays in
 * the bar's <title>).
 */
export function wrapLabel(text: string, maxChars: number, maxLines: number): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const pieces = word.length > maxChars ? (word.match(new RegExp(`.{1,${maxChars}}`, 'g')) ?? [word]) : [word];
    for (const piece of pieces) {
      if (!current) current = piece;
      else if (current.length + 1 + piece.length <= maxChars) current += ` ${piece}`;
      else {
        lines.push(current);
        current = piece;
      }
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = `${last.slice(0, Math.max(0, maxChars - 1))}…`;
  return kept;
}

/** The Okabe-Ito palette: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export interface Frame {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
  body: string;
}

export const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

/** The accessible frame every chart shares: role="img", <title> and <desc> named by aria-labelledby. */
export function svgDocument(f: Frame): string {
  const t = `${f.id}-title`;
  const d = `${f.id}-desc`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${t} ${d}" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" ${FONT} font-size="12">` +
    `<title id="${t}">${escapeXml(f.title)}</title>` +
    `<desc id="${d}">${escapeXml(f.description)}</desc>` +
    `<rect width="${f.width}" height="${f.height}" fill="#ffffff"/>` +
    f.body +
    `</svg>`
  );
}

/** Multi-line text: one <tspan> per line. */
export function textLines(lines: string[], x: number, y: number, attrs: string, lineHeight = 14): string {
  const spans = lines.map((line, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : lineHeight}">${escapeXml(line)}</tspan>`).join('');
  return `<text x="${x}" y="${y}" ${attrs}>${spans}</text>`;
}
