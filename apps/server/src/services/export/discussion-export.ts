/**
 * The discussion and the decisions of revealed items, "what Airtable loses in its CSV
 * export": every comment and every step of every adjudication (decide, revise, reopen,
 * from the audit log) with who, when, the value and the rationale, in item order, then time.
 * People are named as every export names them (pseudonyms.ts): `byName` is the pseudonym, and
 * `byEmail` is empty, unless the project shows names; so are the people comments and rationales
 * mention (`@dana.k` becomes `@C2`: `mentionLabeller`).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { auditLog, comments, items, users } from '@concord/db';
import { formatValue, type CodingValue, type DiscussionEntry } from '@concord/shared';
import { authorize } from '../authz.ts';
import { iso, type ServiceContext } from '../context.ts';
import { csvTable, type CsvText } from './csv.ts';
import { itemCells, itemMetaById } from './item-meta.ts';
import { loadCoderLabels, mentionLabeller } from './pseudonyms.ts';

interface DecisionState {
  value?: CodingValue | null;
  rationale?: string;
  status?: string;
}

export async function loadDiscussion({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<DiscussionEntry[]> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const labels = await loadCoderLabels({ ctx, projectId });
  const who = (userId: string | null, email: string | null) => ({ byEmail: labels.showNames ? email : null, byName: userId ? labels.label(userId) : null });
  const revealed = await ctx.db
    .select({ id: items.id, seq: items.seq, externalId: items.externalId, title: items.title })
    .from(items)
    .where(and(eq(items.projectId, projectId), eq(items.phase, 'revealed')));
  const itemById = new Map(revealed.map((i) => [i.id, i]));
  const entries: (DiscussionEntry & { seq: number })[] = [];
  const commentRows = !revealed.length
    ? []
    : await ctx.db
        .select({ row: comments, email: users.email })
        .from(comments)
        .leftJoin(users, eq(users.id, comments.authorId))
        .where(and(eq(comments.projectId, projectId), inArray(comments.itemId, [...itemById.keys()])));
  const named = await mentionLabeller({ ctx, labels, mentioned: commentRows.flatMap((r) => r.row.mentions) });
  for (const { row, email } of commentRows) {
    const item = itemById.get(row.itemId)!;
    entries.push({
      seq: item.seq,
      kind: 'comment',
      itemId: row.itemId,
      externalId: item.externalId,
      itemTitle: item.title,
      fieldKey: row.fieldKey,
      at: iso(row.createdAt)!,
      ...who(row.authorId, email),
      text: named(row.body, row.mentions),
      value: null,
      status: null,
    });
  }
  const steps = await ctx.db
    .select({ row: auditLog, email: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.projectId, projectId), eq(auditLog.entity, 'adjudication')))
    .orderBy(asc(auditLog.id));
  for (const { row, email } of steps) {
    // entityId is "<itemId>:<fieldKey>" (services/adjudications).
    const sep = row.entityId.indexOf(':');
    const item = itemById.get(row.entityId.slice(0, sep));
    if (!item || !['decide', 'revise', 'reopen'].includes(row.action)) continue;
    const after = (row.after ?? {}) as DecisionState;
    entries.push({
      seq: item.seq,
      kind: row.action as 'decide' | 'revise' | 'reopen',
      itemId: item.id,
      externalId: item.externalId,
      itemTitle: item.title,
      fieldKey: row.entityId.slice(sep + 1),
      at: iso(row.at)!,
      ...who(row.actorId, email),
      text: named(after.rationale ?? ''),
      value: after.value === undefined ? null : formatValue(after.value),
      status: after.status ?? null,
    });
  }
  // Stable: item order, then time; a comment and a decision at the same instant keep insertion order.
  entries.sort((a, b) => a.seq - b.seq || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return entries.map(({ seq: _seq, ...e }) => e);
}

/** `external_id` and `item_title` as before; the item's other columns (ITEM_EXPORT_COLUMNS) at the end. */
export const DISCUSSION_CSV_COLUMNS = ['kind', 'unit', 'external_id', 'item_title', 'field', 'at', 'by_email', 'by_name', 'text', 'value', 'status', 'incidents', 'platform', 'published_at', 'url'] as const;

export async function exportDiscussionCsv({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CsvText> {
  const entries = await loadDiscussion({ ctx, projectId });
  const meta = await itemMetaById({ ctx, projectId });
  return csvTable(
    DISCUSSION_CSV_COLUMNS,
    entries.map((e) => [
      e.kind,
      e.itemId,
      e.externalId ?? '',
      e.itemTitle,
      e.fieldKey ?? '',
      e.at,
      e.byEmail ?? '',
      e.byName ?? '',
      e.text,
      e.value ?? '',
      e.status ?? '',
      // incidents, platform, published_at, url: the item columns after external_id and title.
      ...itemCells(meta.get(e.itemId)).slice(2),
    ]),
  );
}
