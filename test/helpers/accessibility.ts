/**
 * A page audit for the accessibility promises we can check mechanically in Chromium:
 *  - text contrast (WCAG 2.x AA: 4.5:1, or 3:1 for large text) against the background
 *    actually painted behind it (translucent layers composited up to an opaque one);
 *  - every form control, button and link has an accessible name;
 *  - no sideways scrolling of the page (reflow at 200% zoom is a 640 CSS px viewport);
 *    wide tables must scroll inside their own container.
 * Returns one line per problem; an empty list is a pass.
 *
 * The script is a string, not a function: tsx (esbuild keepNames) would wrap inner functions
 * in a `__name` helper that does not exist in the page.
 */
import type { Page } from 'playwright-core';

const AUDIT_SCRIPT = String.raw`(() => {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p[3] ?? 1 };
  };
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a) });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let painted = { r: 255, g: 255, b: 255 };
    for (const layer of layers.reverse()) painted = over(layer, painted);
    return painted;
  };
  const problems = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!el || !text || seen.has(el) || el.closest('svg, .sr-only')) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.opacity === '0' || rect.width === 0 || rect.height === 0) continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5) - 0.005) problems.push('contrast ' + ratio.toFixed(2) + ' for "' + text.slice(0, 40) + '" (' + el.tagName.toLowerCase() + '.' + el.className + ')');
  }
  for (const el of document.querySelectorAll('input, select, textarea, button, a[href], [role=button]')) {
    if (el.type === 'hidden' || el.getBoundingClientRect().width === 0) continue;
    const labelled = (el.labels && [...el.labels].some((l) => l.textContent.trim())) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
    const ownText = ['BUTTON', 'A'].includes(el.tagName) || el.getAttribute('role') === 'button' ? el.textContent.trim() : el.type === 'submit' ? el.value : '';
    if (!labelled && !ownText) problems.push('no accessible name: ' + el.outerHTML.slice(0, 120));
  }
  const width = document.documentElement.scrollWidth;
  if (width > innerWidth + 1) problems.push('the page scrolls sideways: ' + width + ' px wide in a ' + innerWidth + ' px viewport');
  return problems;
})()`;

export function auditPage(page: Page): Promise<string[]> {
  return page.evaluate(AUDIT_SCRIPT) as Promise<string[]>;
}
