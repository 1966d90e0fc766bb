import { items } from '@concord/db';
import { incidentIdsColumn } from './item-incidents.ts';

/** The columns of an item as a table row (no text): the items table and a coder's queue. */
export const itemRowColumns = {
  id: items.id,
  externalId: items.externalId,
  title: items.title,
  url: items.url,
  platform: items.platform,
  author: items.author,
  publishedAt: items.publishedAt,
  incidentIds: incidentIdsColumn,
  phase: items.phase,
};
