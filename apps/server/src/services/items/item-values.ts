import type { ItemUpdateInput } from '@concord/shared';

/** The columns an item input writes: dates parsed, the incident list left to item_incidents. */
export function itemColumns(input: ItemUpdateInput) {
  const { publishedAt, incidentIds: _ids, incidentId: _id, ...rest } = input;
  return publishedAt === undefined ? rest : { ...rest, publishedAt: publishedAt ? new Date(publishedAt) : null };
}
