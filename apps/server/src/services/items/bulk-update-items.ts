/**
 * A bulk edit of selected items (the items table's bulk-edit bar): incidents, platform and
 * language set on every one in one transaction. Any id that is not an item of the project
 * refuses the whole edit (400 naming them), so nothing changes half-way. Each changed item gets
 * its own audit entry (`bulk-update`, the changed fields before and after), as an edit does.
 */
import { and, eq, sql } from 'drizzle-orm';
import { itemIncidents, items } from '@concord/db';
import { MAX_ITEM_INCIDENTS, type ItemBulkInput, type ItemBulkResult } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { auditMany } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { assertIncidentsInProject, incidentIdsColumn } from './item-incidents.ts';

type Changes = Partial<{ platform: string | null; language: string | null; incidentIds: string[]; incidentId: string | null }>;

const idIn = (ids: readonly string[]) => sql`${items.id} in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

export async function bulkUpdateItems({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: ItemBulkInput }): Promise<ItemBulkResult> {
  await authorize({ ctx, projectId, action: 'items.write' });
  const { set } = input;
  return inTransaction(ctx, async (tx) => {
    const found = await tx.db
      .select({ id: items.id, title: items.title, platform: items.platform, language: items.language, incidentIds: incidentIdsColumn })
      .from(items)
      .where(and(eq(items.projectId, projectId), idIn(input.itemIds)));
    const known = new Set(found.map((r) => r.id));
    const unknown = input.itemIds.filter((id) => !known.has(id));
    if (unknown.length) {
      const message = `not items of this project: ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''}`;
      throw new AppError('VALIDATION_FAILED', message, [{ path: ['itemIds'], message }]);
    }
    await assertIncidentsInProject({ ctx: tx, projectId, incidentIds: set.incidentIds ?? set.addIncidentIds ?? [] });

    const changed: { id: string; title: string; before: Changes; after: Changes }[] = [];
    const relinked: { id: string; incidentIds: string[] }[] = [];
    for (const item of found) {
      const before: Changes = {};
      const after: Changes = {};
      if (set.platform !== undefined && set.platform !== item.platform) [before.platform, after.platform] = [item.platform, set.platform];
      if (set.language !== undefined && (set.language || null) !== item.language) [before.language, after.language] = [item.language, set.language || null];
      const incidentIds = set.incidentIds ?? (set.addIncidentIds ? [...item.incidentIds, ...set.addIncidentIds.filter((id) => !item.incidentIds.includes(id))] : undefined);
      if (incidentIds && incidentIds.join() !== item.incidentIds.join()) {
        if (incidentIds.length > MAX_ITEM_INCIDENTS) {
          const message = `"${item.title}" would have ${incidentIds.length} incidents; an item has at most ${MAX_ITEM_INCIDENTS}`;
          throw new AppError('VALIDATION_FAILED', message, [{ path: ['set', 'addIncidentIds'], message }]);
        }
        [before.incidentIds, after.incidentIds] = [item.incidentIds, incidentIds];
        [before.incidentId, after.incidentId] = [item.incidentIds[0] ?? null, incidentIds[0] ?? null];
        relinked.push({ id: item.id, incidentIds });
      }
      if (Object.keys(after).length) changed.push({ id: item.id, title: item.title, before, after });
    }

    // The same value on every item: one statement per column that changes.
    const now = new Date();
    const platformIds = changed.filter((c) => 'platform' in c.after).map((c) => c.id);
    if (platformIds.length) await tx.db.update(items).set({ platform: set.platform ?? null, updatedAt: now }).where(idIn(platformIds));
    const languageIds = changed.filter((c) => 'language' in c.after).map((c) => c.id);
    if (languageIds.length) await tx.db.update(items).set({ language: set.language || null, updatedAt: now }).where(idIn(languageIds));
    for (let at = 0; at < relinked.length; at += 5000) {
      const batch = relinked.slice(at, at + 5000);
      await tx.db.delete(itemIncidents).where(sql`${itemIncidents.itemId} in (select jsonb_array_elements_text(${JSON.stringify(batch.map((r) => r.id))}::jsonb))`);
      const links = batch.flatMap((r) => r.incidentIds.map((incidentId, position) => ({ itemId: r.id, incidentId, position })));
      for (let i = 0; i < links.length; i += 5000) await tx.db.insert(itemIncidents).values(links.slice(i, i + 5000));
    }
    if (relinked.length) await tx.db.update(items).set({ updatedAt: now }).where(idIn(relinked.map((r) => r.id)));
    await auditMany({
      ctx: tx,
      entries: changed.map((c) => ({ projectId, entity: 'item' as const, entityId: c.id, action: 'bulk-update', before: { title: c.title, ...c.before }, after: { title: c.title, ...c.after } })),
    });
    return { updated: changed.length, unchanged: found.length - changed.length };
  });
}
