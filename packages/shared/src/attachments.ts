/**
 * Attachment constants without zod, so the item pages that show attachments do not pull the
 * schemas into their bundle.
 *
 * What an attachment may be: a screenshot or image, a PDF, an HTML snapshot of a page (or an
 * MHTML archive of one), or plain text. The server decides the type from the bytes (sniff.ts),
 * never from the name or the browser's Content-Type.
 */
export const ATTACHMENT_MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/html',
  'multipart/related',
  'text/plain',
] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

/** Raster images: shown as thumbnails and served inline (they cannot run script). Everything else is a download. */
export const INLINE_ATTACHMENT_TYPES: readonly AttachmentMediaType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export const isInlineAttachment = (type: string | null | undefined): boolean =>
  !!type && (INLINE_ATTACHMENT_TYPES as readonly string[]).includes(type);

/** Longest attachment name kept. */
export const MAX_ATTACHMENT_NAME = 255;

/** A human size: `1.2 MB`, `340 kB`, `12 bytes`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} byte${n === 1 ? '' : 's'}`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
