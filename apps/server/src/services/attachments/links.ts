/**
 * Attachment links from an import (Airtable's `name (url)` cells): recorded, never fetched,
 * so an import never reaches out to the network and never stores what it did not check.
 * Written in the import's transaction, which authorized the project and holds the items.
 */
import { and, inArray, isNotNull } from 'drizzle-orm';
import { attachments } from '@concord/db';
import { newId } from '@concord/shared';
import type { ServiceContext } from '../context.ts';

export interface ItemAttachmentLink {
  itemId: string;
  name: string;
  url: string;
}

/** Rows per INSERT: well below PostgreSQL's 65,535 parameters. */
const BATCH = 5000;

export async function insertAttachmentLinks({ ctx: tx, projectId, links }: { ctx: ServiceContext; projectId: string; links: readonly ItemAttachmentLink[] }): Promise<void> {
  const createdBy = tx.actor?.userId ?? null;
  for (let at = 0; at < links.length; at += BATCH) {
    const rows = links.slice(at, at + BATCH).map((l) => ({ id: newId('attachment'), projectId, itemId: l.itemId, name: l.name, url: l.url, createdBy }));
    await tx.db.insert(attachments).values(rows);
  }
}

/** The items' links become the given ones; their uploaded files are left alone. */
export async function replaceAttachmentLinks({ ctx: tx, projectId, itemIds, links }: { ctx: ServiceContext; projectId: string; itemIds: readonly string[]; links: readonly ItemAttachmentLink[] }): Promise<void> {
  for (let at = 0; at < itemIds.length; at += BATCH) {
    await tx.db.delete(attachments).where(and(inArray(attachments.itemId, itemIds.slice(at, at + BATCH)), isNotNull(attachments.url)));
  }
  await insertAttachmentLinks({ ctx: tx, projectId, links });
}
