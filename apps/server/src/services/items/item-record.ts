import { and, eq } from 'drizzle-orm';
import { items } from '@concord/db';
import type { Item } from '@concord/shared';
import { notFound } from '../../errors.ts';
import { iso, type ServiceContext } from '../context.ts';
import { incidentIdsColumn } from './item-incidents.ts';

/** An item row with its incidents in order. */
export type ItemRecord = typeof items.$inferSelect & { incidentIds: string[] };

export function toItem(r: ItemRecord): Item {
  return {
    id: r.id,
    projectId: r.projectId,
    externalId: r.externalId,
    title: r.title,
    url: r.url,
    archivedUrl: r.archivedUrl,
    platform: r.platform,
    author: r.author,
    publishedAt: iso(r.publishedAt),
    language: r.language,
    body: r.body,
    reach: r.reach,
    likes: r.likes,
    shares: r.shares,
    comments: r.comments,
    textVersion: r.textVersion,
    translationLanguage: r.translationLanguage,
    translationTitle: r.translationTitle,
    translationBody: r.translationBody,
    incidentIds: r.incidentIds,
    incidentId: r.incidentIds[0] ?? null,
    phase: r.phase,
    archivedAt: iso(r.archivedAt),
    createdAt: iso(r.createdAt)!,
  };
}

/** An item of the project, or 404 (never another project's item). */
export async function loadItem({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<ItemRecord> {
  const [row] = await ctx.db
    .select({ item: items, incidentIds: incidentIdsColumn })
    .from(items)
    .where(and(eq(items.id, itemId), eq(items.projectId, projectId)));
  if (!row) throw notFound('item');
  return { ...row.item, incidentIds: row.incidentIds };
}
