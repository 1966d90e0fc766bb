import { eq } from 'drizzle-orm';
import { items } from '@concord/db';
import type { Item, ItemUpdateInput } from '@concord/shared';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { requestedIncidents, setItemIncidents } from './item-incidents.ts';
import { loadItem, toItem } from './item-record.ts';
import { itemColumns } from './item-values.ts';
import { changesText, keepTextVersions } from './item-versions.ts';

/**
 * Changes only the fields the input names; the audit entry keeps both sides of what changed.
 * A new title or body of an item with codings keeps the text it replaces (item-versions.ts).
 */
export async function updateItem({ ctx, projectId, itemId, input }: { ctx: ServiceContext; projectId: string; itemId: string; input: ItemUpdateInput }): Promise<Item> {
  await authorize({ ctx, projectId, action: 'items.write' });
  return inTransaction(ctx, async (tx) => {
    const before = toItem(await loadItem({ ctx: tx, projectId, itemId }));
    if (changesText(before, input)) await keepTextVersions({ ctx: tx, projectId, itemIds: [itemId] });
    await tx.db
      .update(items)
      .set({ ...itemColumns(input), updatedAt: new Date() })
      .where(eq(items.id, itemId));
    const incidentIds = requestedIncidents(input);
    if (incidentIds) await setItemIncidents({ ctx: tx, projectId, itemId, incidentIds });
    const after = toItem(await loadItem({ ctx: tx, projectId, itemId }));
    const changed = (Object.keys(after) as (keyof Item)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length) {
      const pick = (item: Item) => Object.fromEntries(changed.map((k) => [k, item[k]]));
      await audit({ ctx: tx, entry: { projectId, entity: 'item', entityId: itemId, action: 'update', before: pick(before), after: pick(after) } });
    }
    return after;
  });
}
