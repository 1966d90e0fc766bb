/**
 * An upload's type, read from its bytes. The name and the browser's Content-Type are the
 * uploader's claims; what we serve (and whether a browser may render it) follows the bytes.
 * Signatures as in the WHATWG MIME Sniffing standard (§ 7.1 images, § 7.1 HTML patterns),
 * narrowed to the types an attachment may have (ATTACHMENT_MEDIA_TYPES).
 */
import type { AttachmentMediaType } from '@concord/shared';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Byte patterns at offset 0 (null: any byte). */
const SIGNATURES: [AttachmentMediaType, (number | null)[]][] = [
  ['image/png', [0x89, ...ascii('PNG\r\n\x1a\n')]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', ascii('GIF87a')],
  ['image/gif', ascii('GIF89a')],
  ['image/webp', [...ascii('RIFF'), null, null, null, null, ...ascii('WEBPVP')]],
  ['application/pdf', ascii('%PDF-')],
];

/** The standard's HTML patterns: after optional whitespace, one of these tags, then a space or `>`. */
const HTML_TAGS = ['!doctype html', 'html', 'head', 'script', 'iframe', 'h1', 'div', 'font', 'table', 'a', 'style', 'title', 'b', 'body', 'br', 'p'];

/** How far into a file the HTML and MHTML checks look. */
const HEAD_BYTES = 1024;

const matches = (bytes: Uint8Array, pattern: (number | null)[]) => bytes.length >= pattern.length && pattern.every((b, i) => b === null || bytes[i] === b);

/** The first bytes as Latin-1 text, lower-cased: the checks below look for ASCII only, so any charset reads right. */
function head(bytes: Uint8Array): string {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // UTF-8 byte-order mark
  return Buffer.from(bytes.subarray(start, start + HEAD_BYTES)).toString('latin1').toLowerCase();
}

function isHtml(text: string): boolean {
  const t = text.replace(/^[\t\n\f\r ]+/, '');
  if (t.startsWith('<!--')) return true;
  return HTML_TAGS.some((tag) => t.startsWith(`<${tag}`) && /^[ >]/.test(t.slice(tag.length + 1)));
}

/** A web archive as Chrome's "Save page as… (single file)" writes it: MIME headers naming multipart/related. */
function isMhtml(text: string): boolean {
  const headers = text.split(/\r?\n\r?\n/, 1)[0]!;
  return /^mime-version:/m.test(headers) && /^content-type:\s*multipart\/related/m.test(headers);
}

/** Tab, line feed, form feed and carriage return: the only control characters text may hold. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

/** UTF-8 without other control characters (C0 and DEL). */
function isPlainText(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // UTF-8 never uses bytes below 0x80 inside a multi-byte sequence, so a byte scan finds them all.
  return bytes.every((b) => (b >= 0x20 && b !== 0x7f) || TEXT_CONTROLS.has(b));
}

/** The attachment type of these bytes, or null when they are none of the allowed kinds. */
export function sniffMediaType(bytes: Uint8Array): AttachmentMediaType | null {
  for (const [type, pattern] of SIGNATURES) if (matches(bytes, pattern)) return type;
  const start = head(bytes);
  if (isHtml(start)) return 'text/html';
  if (isMhtml(start)) return 'multipart/related';
  return bytes.length > 0 && isPlainText(bytes) ? 'text/plain' : null;
}
