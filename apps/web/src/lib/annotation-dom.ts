/**
 * Between DOM selections and body offsets, for span tagging. The item body is rendered by
 * ItemView as <p data-start="offset"> paragraphs (plain text, or text split by <mark>s where
 * the CSS Custom Highlight API is missing); offsets are counted in the text nodes, so both
 * renderings map alike. Exercised in Chromium by test/browser/annotations.test.ts.
 */
import { locate, trimSpan, type Paragraph } from '$lib/annotations.ts';

const paraElements = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('[data-start]')];

/** The body offset of a DOM boundary point: a point before the body is 0, after it the end of the last paragraph. */
function offsetOfPoint(root: HTMLElement, node: Node, offset: number): number {
  let result = 0;
  for (const p of paraElements(root)) {
    const start = Number(p.dataset.start);
    const length = p.textContent?.length ?? 0;
    const at = document.createRange();
    at.setStart(p, 0);
    if (at.comparePoint(node, offset) < 0) break; // the point is before this paragraph
    if (p.contains(node)) {
      at.setEnd(node, offset);
      return start + Math.min(at.toString().length, length);
    }
    result = start + length; // after this paragraph (in the gap, or further on)
  }
  return result;
}

/** The span (body offsets, white space trimmed) the current selection covers in the body, or null. */
export function spanOfSelection(root: HTMLElement, selection: Selection | null, body: string): { from: number; to: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(root)) return null;
  return trimSpan(body, offsetOfPoint(root, range.startContainer, range.startOffset), offsetOfPoint(root, range.endContainer, range.endOffset));
}

/** The text node and offset at `local` characters into a paragraph element. */
function pointIn(p: HTMLElement, local: number): { node: Node; offset: number } {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let last: Text | null = null;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (local <= node.length) return { node, offset: local };
    local -= node.length;
    last = node;
  }
  return last ? { node: last, offset: last.length } : { node: p, offset: 0 };
}

/** A DOM Range over a span of the body (for highlights and scrolling), or null when it is off the rendered text. */
export function rangeOfSpan(root: HTMLElement, paras: readonly Paragraph[], span: { from: number; to: number }): Range | null {
  const elements = paraElements(root);
  const a = locate(paras, span.from, 'start');
  const b = locate(paras, span.to, 'end');
  const pa = a && elements[a.index];
  const pb = b && elements[b.index];
  if (!a || !b || !pa || !pb) return null;
  const start = pointIn(pa, a.local);
  const end = pointIn(pb, b.local);
  const range = document.createRange();
  range.setStart(start.node, start.offset);
  range.setEnd(end.node, end.offset);
  return range.collapsed ? null : range;
}
