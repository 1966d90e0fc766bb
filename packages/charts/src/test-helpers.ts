/**
 * A minimal well-formedness check for the SVG these tests read: every tag closes in
 * order, attribute values are quoted, and text holds no raw "<" or bare "&".
 */
export function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(svg))) {
    consumed = token.lastIndex;
    const [, close, name, , selfClose, text] = m;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`bare & in text: ${text}`);
      continue;
    }
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClose) stack.push(name!);
  }
  if (consumed !== svg.length) throw new Error(`malformed markup at ${consumed}: ${svg.slice(consumed, consumed + 60)}`);
  if (stack.length) throw new Error(`unclosed: ${stack.join(', ')}`);
}

/** The bars' numbers as the SVG shows them, in document order. */
export function barValues(svg: string): { category: string; series: string; value: number; text: number }[] {
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...svg.matchAll(/<g class="bar" data-category="([^"]*)" data-series="([^"]*)" data-value="([^"]*)">.*?<text[^>]*class="value">([^<]*)<\/text><\/g>/g)].map((m) => ({
    category: unescape(m[1]!),
    series: unescape(m[2]!),
    value: Number(m[3]),
    text: Number(m[4]),
  }));
}

/** The share line (`share` of the input) as the SVG shows it, its wrapped lines joined; null when there is none. */
export function shareText(svg: string): string | null {
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const m = /<text [^>]*class="share">(.*?)<\/text>/.exec(svg);
  return m ? [...m[1]!.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((t) => unescape(t[1]!)).join(' ') : null;
}
