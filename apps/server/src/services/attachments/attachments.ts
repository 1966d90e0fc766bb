/**
 * An item's attachments. Whoever may read the item reads them (`items.read`); owners and
 * editors, who keep the items, add and delete them (`items.write`), audited. An attachment is
 * material about the item, never a coder's value, so the blind-coding rules do not narrow it.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, getTableColumns, isNotNull } from 'drizzle-orm';
import { attachments } from '@concord/db';
import { newId, type Attachment } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { iso, inTransaction, type ServiceContext } from '../context.ts';
import { loadItem } from '../items/item-record.ts';
import { sniffMediaType } from './sniff.ts';
import { collectBytes, readAttachmentBytes, removeAttachmentFiles, writeAttachmentFile, type AttachmentSettings } from './store.ts';

const { data: _data, ...listed } = getTableColumns(attachments);
type AttachmentRow = Omit<typeof attachments.$inferSelect, 'data'>;

export function toAttachment(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    itemId: r.itemId,
    name: r.name,
    kind: r.url === null ? 'file' : 'link',
    mediaType: r.mediaType,
    size: r.size,
    sha256: r.sha256,
    url: r.url,
    createdAt: iso(r.createdAt)!,
  };
}

/** The item's attachments in order of arrival (never their bytes). */
export async function listAttachments({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<Attachment[]> {
  await authorize({ ctx, projectId, action: 'items.read' });
  await loadItem({ ctx, projectId, itemId });
  const rows = await ctx.db
    .select(listed)
    .from(attachments)
    .where(and(eq(attachments.projectId, projectId), eq(attachments.itemId, itemId)))
    .orderBy(asc(attachments.seq));
  return rows.map(toAttachment);
}

async function loadAttachment(ctx: ServiceContext, projectId: string, itemId: string, attachmentId: string) {
  const [row] = await ctx.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), eq(attachments.itemId, itemId), eq(attachments.projectId, projectId)));
  if (!row) throw notFound('attachment');
  return row;
}

/**
 * Stores an upload: the type is sniffed from the bytes (415 for anything but images, PDF, HTML
 * and text), its SHA-256 and size recorded. `body` is read only after authorization, and stops
 * at the size limit (the route's limitedBody).
 */
export async function addAttachment({ ctx, projectId, itemId, input, settings }: {
  ctx: ServiceContext;
  projectId: string;
  itemId: string;
  input: { name: string; body: AsyncIterable<Uint8Array> };
  settings: AttachmentSettings;
}): Promise<Attachment> {
  await authorize({ ctx, projectId, action: 'items.write' });
  await loadItem({ ctx, projectId, itemId });
  const bytes = await collectBytes(input.body);
  const mediaType = sniffMediaType(bytes);
  if (!mediaType) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `"${input.name}" is not an image (PNG, JPEG, GIF, WebP), a PDF, an HTML page or archive, or UTF-8 text`);
  }
  const id = newId('attachment');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = settings.dir ? await writeAttachmentFile(settings.dir, id, bytes) : null;
  try {
    return await inTransaction(ctx, async (tx) => {
      const [row] = await tx.db
        .insert(attachments)
        .values({ id, projectId, itemId, name: input.name, mediaType, size: bytes.byteLength, sha256, data: file ? null : bytes, path: file, createdBy: ctx.actor?.userId ?? null })
        .returning(listed);
      const attachment = toAttachment(row!);
      await audit({ ctx: tx, entry: { projectId, entity: 'attachment', entityId: id, action: 'create', after: attachment } });
      return attachment;
    });
  } catch (err) {
    if (file) await removeAttachmentFiles(settings, [file], (e, f) => ctx.logger.warn({ err: e, file: f }, 'attachment file not removed'));
    throw err;
  }
}

/** One attachment and how to read its bytes, for the download route; a link has none (409: open its URL). */
export async function getAttachmentFile({ ctx, projectId, itemId, attachmentId, settings }: {
  ctx: ServiceContext;
  projectId: string;
  itemId: string;
  attachmentId: string;
  settings: AttachmentSettings;
}) {
  await authorize({ ctx, projectId, action: 'items.read' });
  const row = await loadAttachment(ctx, projectId, itemId, attachmentId);
  if (row.url !== null) throw new AppError('CONFLICT', 'this attachment is a link: open its url');
  // Read only when sent: a revalidation the browser's copy satisfies (304) needs the hash alone.
  return { attachment: toAttachment(row), readBytes: () => readAttachmentBytes(settings, row) };
}

/** Deletes one attachment; the audit entry keeps its name, type, size and hash (not its bytes). */
export async function deleteAttachment({ ctx, projectId, itemId, attachmentId, settings }: {
  ctx: ServiceContext;
  projectId: string;
  itemId: string;
  attachmentId: string;
  settings: AttachmentSettings;
}): Promise<void> {
  await authorize({ ctx, projectId, action: 'items.write' });
  const removed = await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .delete(attachments)
      .where(and(eq(attachments.id, attachmentId), eq(attachments.itemId, itemId), eq(attachments.projectId, projectId)))
      .returning(listed);
    if (!row) throw notFound('attachment');
    await audit({ ctx: tx, entry: { projectId, entity: 'attachment', entityId: attachmentId, action: 'delete', before: toAttachment(row) } });
    return row;
  });
  if (removed.path) await removeAttachmentFiles(settings, [removed.path], (err, file) => ctx.logger.warn({ err, file }, 'attachment file not removed'));
}

/** The files under CONCORD_ATTACHMENTS_DIR of an item about to be deleted (the rows go with it by cascade). */
export async function attachmentFilesOf({ ctx: tx, itemId }: { ctx: ServiceContext; itemId: string }): Promise<string[]> {
  const rows = await tx.db.select({ path: attachments.path }).from(attachments).where(and(eq(attachments.itemId, itemId), isNotNull(attachments.path)));
  return rows.map((r) => r.path!);
}

/** Removes those files once the item's deletion committed. */
export function removeItemFiles({ ctx, settings, paths }: { ctx: ServiceContext; settings: AttachmentSettings | undefined; paths: readonly string[] }): Promise<void> {
  if (!settings || !paths.length) return Promise.resolve();
  return removeAttachmentFiles(settings, paths, (err, file) => ctx.logger.warn({ err, file }, 'attachment file not removed'));
}
