import { z } from 'zod';
import { ATTACHMENT_MEDIA_TYPES, MAX_ATTACHMENT_NAME } from '../attachments.ts';
import { text } from './common.ts';

/**
 * One attachment of an item: a stored file (its bytes in the database, or in
 * CONCORD_ATTACHMENTS_DIR) with its sniffed type, size and SHA-256, or a link recorded by an
 * import (`url`; the file behind it was never fetched, so no type, size or hash).
 */
export const attachmentSchema = z.object({
  id: text(),
  itemId: text(),
  name: text(),
  kind: z.enum(['file', 'link']),
  /** The type read from the bytes; null for a link. */
  mediaType: z.enum(ATTACHMENT_MEDIA_TYPES).nullable(),
  size: z.number().int().nullable(),
  /** Hex SHA-256 of the bytes as stored; null for a link. */
  sha256: text().nullable(),
  /** The link of an imported attachment; null for a file. */
  url: text().nullable(),
  createdAt: text(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const attachmentListSchema = z.object({ attachments: z.array(attachmentSchema) });
export type AttachmentList = z.infer<typeof attachmentListSchema>;

/** The file's name rides in the query, as the body is the file itself. A path is cut to its last part. */
export const attachmentUploadQuery = z.object({
  name: text()
    .transform((s) => s.split(/[\\/]/).at(-1)!.replace(/\p{Cc}/gu, '').trim())
    .pipe(text().min(1, 'name the file').max(MAX_ATTACHMENT_NAME)),
});
