import { items } from '@concord/db';
import { newId, type Item, type ItemInput } from '@concord/shared';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { requestedIncidents, setItemIncidents } from './item-incidents.ts';
import { loadItem, toItem } from './item-record.ts';
import { itemColumns } from './item-values.ts';

export async function createItem({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: ItemInput }): Promise<Item> {
  await authorize({ ctx, projectId, action: 'items.write' });
  return inTransaction(ctx, async (tx) => {
    const id = newId('item');
    await tx.db.insert(items).values({ id, projectId, ...itemColumns(input), title: input.title });
    await setItemIncidents({ ctx: tx, projectId, itemId: id, incidentIds: requestedIncidents(input) ?? [] });
    const item = toItem(await loadItem({ ctx: tx, projectId, itemId: id }));
    await audit({ ctx: tx, entry: { projectId, entity: 'item', entityId: id, action: 'create', after: item } });
    return item;
  });
}
