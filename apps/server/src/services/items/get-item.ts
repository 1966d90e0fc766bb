import type { Item } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadItem, toItem } from './item-record.ts';

export async function getItem({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<Item> {
  await authorize({ ctx, projectId, action: 'items.read' });
  return toItem(await loadItem({ ctx, projectId, itemId }));
}
