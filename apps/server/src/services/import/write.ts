/**
 * The import's writes, in the caller's transaction: incidents named by the rows, then batch by
 * batch new items (COPY on PGlite, see @concord/db bulkInsert) and updates in place.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { bulkInsert, incidents, itemIncidents, items } from '@concord/db';
import { newId } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { insertAttachmentLinks, replaceAttachmentLinks } from '../attachments/links.ts';
import type { RowCollector } from './collect.ts';
import { keepTextVersions } from '../items/item-versions.ts';
import { updatedValues, type ItemUpdate } from './match.ts';
import type { ConvertedRow } from './summary.ts';

/** Rows per UPDATE statement: one JSON parameter each, a few MB at most. */
const UPDATE_BATCH = 5000;

/** The project's incidents by name, creating those the rows name and it lacks. */
export async function ensureIncidents({ ctx: tx, projectId, out }: { ctx: ServiceContext; projectId: string; out: RowCollector }): Promise<{ ids: Map<string, string>; created: number }> {
  const existing = await tx.db.select({ id: incidents.id, name: incidents.name }).from(incidents).where(eq(incidents.projectId, projectId));
  const ids = new Map(existing.map((r) => [r.name, r.id]));
  const missing = new Set<string>();
  for (const item of out.items) for (const name of item.incidentNames) if (!ids.has(name)) missing.add(name);
  const created = [...missing].map((name) => ({ id: newId('incident'), projectId, name }));
  if (created.length) await tx.db.insert(incidents).values(created);
  for (const r of created) ids.set(r.name, r.id);
  return { ids, created: created.length };
}

/** The item_incidents rows linking an item to the incidents a row names, in the row's order (the first primary). */
function links(itemId: string, incidentNames: readonly string[], incidentIds: Map<string, string>) {
  return incidentNames.map((name, position) => ({ itemId, incidentId: incidentIds.get(name)!, position }));
}

/** Inserts a batch's new items; returns their ids by index into `out.items`. */
export async function insertItems({ ctx: tx, projectId, importId, rows: created, incidentIds }: {
  ctx: ServiceContext;
  projectId: string;
  importId: string;
  rows: ConvertedRow[];
  incidentIds: Map<string, string>;
}): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  const rows = created.map(({ index, item }) => {
    const { incidentNames, attachments: attachmentLinks, actorNames: _actors, pendingDate: _, ...values } = item;
    const id = newId('item');
    ids.set(index, id);
    // The rest object is this row's own: completed in place rather than copied again.
    return { incidentNames, attachmentLinks, item: Object.assign(values, { id, projectId, importId }) };
  });
  await bulkInsert(
    tx.db,
    items,
    rows.map((r) => r.item),
    // The project was authorized by the caller; the import row and every incident were read or written in this transaction.
    { referencesVerified: true },
  );
  // The items were inserted just above (so, on PostgreSQL, no other transaction can delete them: not locked again).
  await bulkInsert(tx.db, itemIncidents, rows.flatMap((r) => links(r.item.id, r.incidentNames, incidentIds)), { referencesVerified: true, referencesInsertedHere: ['itemId'] });
  await insertAttachmentLinks({ ctx: tx, projectId, links: rows.flatMap((r) => r.attachmentLinks.map((link) => ({ itemId: r.item.id, ...link }))) });
  return ids;
}

export async function updateItems({ ctx: tx, projectId, out, updates, incidentIds }: {
  ctx: ServiceContext;
  projectId: string;
  out: RowCollector;
  updates: ItemUpdate[];
  incidentIds: Map<string, string>;
}) {
  // A new title or text of a coded item keeps the one it replaces, as an edit in the web app does.
  await keepTextVersions({
    ctx: tx,
    projectId,
    itemIds: updates.filter((u) => u.changes.includes('title') || u.changes.includes('body')).map((u) => u.existing.id),
  });
  for (let i = 0; i < updates.length; i += UPDATE_BATCH) {
    const values = updates.slice(i, i + UPDATE_BATCH).map((update) => updatedValues(out, update));
    // One statement per batch: the new values as a JSON recordset joined on the item id.
    await tx.db.execute(sql`
      update ${items} as i set
        title = v.title, url = v.url, archived_url = v.archived_url, platform = v.platform, author = v.author, language = v.language, body = v.body,
        reach = v.reach, likes = v.likes, shares = v.shares, comments = v.comments,
        translation_language = v.translation_language, translation_title = v.translation_title, translation_body = v.translation_body,
        published_at = v.published_at, raw = v.raw, updated_at = now()
      from json_to_recordset(${JSON.stringify(values)}::json) as v(
        id text, title text, url text, archived_url text, platform text, author text, language text, body text,
        reach bigint, likes bigint, shares bigint, comments bigint,
        translation_language text, translation_title text, translation_body text,
        published_at timestamptz, raw json)
      where i.id = v.id and i.project_id = ${projectId}`);
  }
  // A file with an attachment column sets each updated item's links to the row's (uploaded files stay).
  if (out.columns.attachments !== undefined && updates.length) {
    await replaceAttachmentLinks({
      ctx: tx,
      projectId,
      itemIds: updates.map((u) => u.existing.id),
      links: updates.flatMap(({ item, existing }) => item.attachments.map((link) => ({ itemId: existing.id, ...link }))),
    });
  }
  // A file with an incident column sets each updated item's incidents to the row's list.
  if (out.columns.incident === undefined || !updates.length) return;
  const ids = updates.map((u) => u.existing.id);
  for (let i = 0; i < ids.length; i += UPDATE_BATCH) await tx.db.delete(itemIncidents).where(inArray(itemIncidents.itemId, ids.slice(i, i + UPDATE_BATCH)));
  const rows = updates.flatMap(({ item, existing }) => links(existing.id, item.incidentNames, incidentIds));
  await bulkInsert(tx.db, itemIncidents, rows, { referencesVerified: true });
}
