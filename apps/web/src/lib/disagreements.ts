/**
 * Pure helpers of the disagreement inbox and detail pages: filters in the URL, the
 * severity as a percentage, and mention handles highlighted in a comment body.
 */
import { memberHandles, mentionHandles } from '@concord/shared';

export const INBOX_STATUSES = ['open', 'decided', 'all'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** Items per inbox page: a page holds whole items, each with all its disagreements. */
export const INBOX_PAGE_ITEMS = 25;

/** The inbox filters as they appear in the page URL (?field=&incident=&coder=&status=&page=). */
export interface InboxFilters {
  field: string;
  incident: string;
  coder: string;
  status: InboxStatus;
  /** 1-based page of items. */
  page: number;
}

/** Reads the filters; unknown status values fall back to "open" (what an editor works through). */
export function parseInboxFilters(params: URLSearchParams): InboxFilters {
  const status = params.get('status') ?? '';
  return {
    field: params.get('field')?.trim() ?? '',
    incident: params.get('incident')?.trim() ?? '',
    coder: params.get('coder')?.trim() ?? '',
    status: (INBOX_STATUSES as readonly string[]).includes(status) ? (status as InboxStatus) : 'open',
    page: Math.max(1, Math.floor(Number(params.get('page'))) || 1),
  };
}

/**
 * The query for GET /api/projects/:projectId/disagreements, grouped by item; empty filters are
 * left out. `paged`: only the filters' page of items (the inbox), else every item (the detail
 * page's previous/next, in the same order).
 */
export function inboxApiQuery(filters: InboxFilters, paged = false): Record<string, string> {
  const query: Record<string, string> = { status: filters.status, group: 'item' };
  if (filters.field) query.field = filters.field;
  if (filters.incident) query.incident = filters.incident;
  if (filters.coder) query.coder = filters.coder;
  if (paged) {
    query.limit = String(INBOX_PAGE_ITEMS);
    query.offset = String((filters.page - 1) * INBOX_PAGE_ITEMS);
  }
  return query;
}

/** Consecutive rows of one item (the API groups them), in order, for the inbox's item sections. */
export function groupByItem<T extends { itemId: string }>(rows: readonly T[]): { itemId: string; rows: { row: T; index: number }[] }[] {
  const groups: { itemId: string; rows: { row: T; index: number }[] }[] = [];
  rows.forEach((row, index) => {
    const last = groups[groups.length - 1];
    if (last && last.itemId === row.itemId) last.rows.push({ row, index });
    else groups.push({ itemId: row.itemId, rows: [{ row, index }] });
  });
  return groups;
}

/** A severity (0..1) as a whole percentage, for the bar and the number beside it. */
export function severityPercent(severity: number): number {
  return Math.round(Math.min(1, Math.max(0, severity)) * 100);
}

/** The index after moving `step` rows from `current` (-1: none yet), clamped to the list. */
export function moveSelection(current: number, step: 1 | -1, length: number): number {
  if (length === 0) return -1;
  if (current < 0) return step === 1 ? 0 : length - 1;
  return Math.min(length - 1, Math.max(0, current + step));
}

/** A comment body cut into text and mentions of members (as the server resolves them). */
export function mentionParts(body: string, members: readonly { userId: string; email: string; name: string }[]): { text: string; userId: string | null }[] {
  const byHandle = new Map<string, string>();
  for (const m of members) for (const h of memberHandles(m)) if (!byHandle.has(h)) byHandle.set(h, m.userId);
  const known = new Set(mentionHandles(body).filter((h) => byHandle.has(h)));
  if (known.size === 0) return [{ text: body, userId: null }];
  const parts: { text: string; userId: string | null }[] = [];
  const pattern = /(?<![\p{L}\p{N}._-])@([\p{L}\p{N}._-]+)/gu;
  let last = 0;
  for (const match of body.matchAll(pattern)) {
    const handle = match[1]!.replace(/\.+$/, '');
    const userId = byHandle.get(handle.toLowerCase());
    if (!userId) continue;
    const start = match.index;
    if (start > last) parts.push({ text: body.slice(last, start), userId: null });
    parts.push({ text: `@${handle}`, userId });
    last = start + 1 + handle.length;
  }
  if (last < body.length) parts.push({ text: body.slice(last), userId: null });
  return parts;
}

/** The handle to type for a member: the local part of their email. */
export function handleOf(member: { email: string; name: string }): string {
  return memberHandles(member)[0] ?? member.name;
}

/**
 * The previous and next disagreement around (itemId, fieldKey) in the inbox order. When it
 * is no longer in the list (just decided, under the "open" filter), next is the list's
 * first row and there is no previous.
 */
export function inboxNeighbours(
  order: readonly { itemId: string; fieldKey: string }[],
  itemId: string,
  fieldKey: string,
): { prev: { itemId: string; fieldKey: string } | null; next: { itemId: string; fieldKey: string } | null; inList: boolean } {
  const i = order.findIndex((d) => d.itemId === itemId && d.fieldKey === fieldKey);
  if (i === -1) return { prev: null, next: order[0] ?? null, inList: false };
  return { prev: order[i - 1] ?? null, next: order[i + 1] ?? null, inList: true };
}
