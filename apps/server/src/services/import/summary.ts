/**
 * What an import's first pass keeps of a converted row: what the file-wide rules (duplicate
 * external ids, the slash-date order), the matching and the names to create need, and none of
 * its values, so the pass's memory does not grow with the rows' text. The second pass converts
 * the row again (collect.ts `replay`).
 */
import type { ImportedItem } from './row.ts';

export type RowSummary = Pick<ImportedItem, 'externalId' | 'incidentNames' | 'actorNames' | 'pendingDate' | 'publishedAt'>;

/** A row on its second reading: its index into the first pass's `items`, its file row, its values. */
export interface ConvertedRow {
  index: number;
  row: number;
  item: ImportedItem;
}

const NONE: string[] = [];

export function summarize(item: ImportedItem): RowSummary {
  return {
    externalId: item.externalId,
    // Most rows name no actor (and many no incident): one shared empty list for them.
    incidentNames: item.incidentNames.length ? item.incidentNames : NONE,
    actorNames: item.actorNames.length ? item.actorNames : NONE,
    pendingDate: item.pendingDate,
    publishedAt: null,
  };
}
