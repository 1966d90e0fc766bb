/**
 * An item's text versions. Once an item is assigned or has codings, a change of its title or
 * body keeps the text it replaces (item_versions, numbered as items.text_version was) and moves
 * the item to the next number, so every coding can be read against the text its coder submitted
 * under (codings.item_version, set at submit). An item nobody codes changes in place: no coder
 * saw its text yet. Not "has codings" alone: every member reads the number, and a coder would
 * learn from it that another coder saved something on an item coded blind (SECURITY.md, Reviews).
 * Both the item edit and the import's updates go through keepTextVersions.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { assignments, codings, itemVersions, items } from '@concord/db';
import type { ItemVersion, ItemVersionList } from '@concord/shared';
import { notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { iso, type ServiceContext } from '../context.ts';
import { loadItem } from './item-record.ts';

/** Most item ids one statement names (one JSON parameter). */
const BATCH = 5000;

/**
 * Call in the transaction, before writing new titles or bodies: for each of these items (of
 * the project) that is assigned or has codings, keeps its current text as a version and advances its number.
 * Pass only items whose title or body is about to change.
 */
export async function keepTextVersions({ ctx: tx, projectId, itemIds }: { ctx: ServiceContext; projectId: string; itemIds: readonly string[] }): Promise<void> {
  const replacedBy = tx.actor?.userId ?? null;
  for (let at = 0; at < itemIds.length; at += BATCH) {
    const ids = JSON.stringify(itemIds.slice(at, at + BATCH));
    await tx.db.execute(sql`
      with kept as (
        insert into ${itemVersions} (item_id, version, title, body, replaced_by)
        select i.id, i.text_version, i.title, i.body, ${replacedBy}
        from ${items} as i
        where i.project_id = ${projectId}
          and i.id in (select jsonb_array_elements_text(${ids}::jsonb))
          and (exists (select 1 from ${assignments} as a where a.item_id = i.id) or exists (select 1 from ${codings} as c where c.item_id = i.id))
        returning item_id
      )
      update ${items} set text_version = text_version + 1 where id in (select item_id from kept)`);
  }
}

/** Whether an input changes the item's text (title or body) from what it is. */
export function changesText(before: { title: string; body: string }, input: { title?: string | undefined; body?: string | undefined }): boolean {
  return (input.title !== undefined && input.title !== before.title) || (input.body !== undefined && input.body !== before.body);
}

/**
 * One text of an item: a kept version, or the current one. Anyone who may read the item may
 * read its earlier texts (they were its text; no coder's values are in them).
 */
export async function getItemVersion({ ctx, projectId, itemId, version }: { ctx: ServiceContext; projectId: string; itemId: string; version: number }): Promise<ItemVersion> {
  await authorize({ ctx, projectId, action: 'items.read' });
  const item = await loadItem({ ctx, projectId, itemId });
  if (version === item.textVersion) return { version, title: item.title, body: item.body, current: true, replacedAt: null };
  const [kept] = await ctx.db
    .select()
    .from(itemVersions)
    .where(and(eq(itemVersions.itemId, itemId), eq(itemVersions.version, version)));
  if (!kept) throw notFound(`version ${version} of this item`);
  return { version, title: kept.title, body: kept.body, current: false, replacedAt: iso(kept.replacedAt) };
}

/** The item's kept versions, newest first, without their text (the list of what changed when). */
export async function listItemVersions({ ctx, projectId, itemId }: { ctx: ServiceContext; projectId: string; itemId: string }): Promise<ItemVersionList> {
  await authorize({ ctx, projectId, action: 'items.read' });
  const item = await loadItem({ ctx, projectId, itemId });
  const rows = await ctx.db
    .select({ version: itemVersions.version, title: itemVersions.title, replacedAt: itemVersions.replacedAt })
    .from(itemVersions)
    .where(eq(itemVersions.itemId, itemId))
    .orderBy(desc(itemVersions.version));
  return { current: item.textVersion, versions: rows.map((r) => ({ version: r.version, title: r.title, replacedAt: iso(r.replacedAt)! })) };
}
