/**
 * Item links: http(s) or nothing. A `javascript:`, `data:` or `vbscript:` URL in an href
 * runs in the page when clicked, so the API, the import and the web's links share this rule.
 * The WHATWG parser used here is the browser's own: it lower-cases the scheme and strips
 * the leading spaces and inner tabs or newlines a browser would also ignore, so
 * `JAVASCRIPT:`, ` javascript:` and `java\tscript:` are all seen as `javascript:`.
 * No zod here: the web's first paint renders links with `safeHref`, and a schema built at
 * module level would bring zod (25 KB gzipped) into it; `httpUrlSchema` is in schemas/http-url.ts.
 */

export const MAX_URL_LENGTH = 4000;

export function isHttpUrl(text: string): boolean {
  let protocol: string;
  try {
    ({ protocol } = new URL(text));
  } catch {
    return false; // relative or malformed: not a link to an original
  }
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * The link `httpUrlSchema` gives for `text` (no NUL; trimmed; at most MAX_URL_LENGTH; http(s)),
 * or null: the same rule without zod, for the import, which checks up to 100,000 links at once.
 */
export function readHttpUrl(text: string): string | null {
  if (text.includes('\u0000')) return null;
  const url = text.trim();
  return url.length <= MAX_URL_LENGTH && isHttpUrl(url) ? url : null;
}

/**
 * The href to render for a stored item link, or null to render no link. Rows stored before
 * the API checked the scheme may still hold any URL, so the web checks again at render time.
 */
export function safeHref(url: string | null | undefined): string | null {
  return url && isHttpUrl(url) ? url : null;
}
