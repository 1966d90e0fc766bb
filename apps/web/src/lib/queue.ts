/**
 * A coder's queue in the web app: which view the project page opens on, and the next
 * uncoded item (`n`). The queue itself is the server's (`GET …/queue`, `…/queue/next`).
 */
import type { Assignment, Member, Role } from '@concord/shared';
import { api } from './api.ts';
import { toApiError } from './errors.ts';

const TABLE_FILTERS = ['incident', 'platform', 'phase', 'coder', 'q'] as const;

export type ProjectView = { kind: 'queue'; coder: string | null } | { kind: 'table' };

/**
 * `?view=queue|table` and `?queue=USER` (whose queue; managers only). A coder's project opens
 * on her queue, a manager's on the whole table; either may switch. The table's filters in the
 * URL open the table.
 */
export function parseProjectView(params: URLSearchParams, role: Role): ProjectView {
  const view = params.get('view');
  const coder = role === 'coder' ? null : (params.get('queue')?.trim().slice(0, 100) ?? null) || null;
  if (view === 'table') return { kind: 'table' };
  if (view === 'queue' || coder !== null) return { kind: 'queue', coder };
  // A link with the table's filters (a toast, a bookmark) means the table, for coders too.
  const filtered = TABLE_FILTERS.some((key) => params.has(key));
  return role === 'coder' && !filtered ? { kind: 'queue', coder: null } : { kind: 'table' };
}

/** The page URL of a view (the table keeps no queue parameter; filters are the table's own). */
export function viewHref(projectId: string, view: ProjectView, role: Role): string {
  const base = `/projects/${projectId}`;
  if (view.kind === 'table') return role === 'coder' ? `${base}?view=table` : base;
  if (view.coder) return `${base}?queue=${encodeURIComponent(view.coder)}`;
  return role === 'coder' ? base : `${base}?view=queue`;
}

/** The caller's next unsubmitted item after `after` (wrapping), or null when her queue is done. */
export async function nextUncoded(origin: string, projectId: string, after: string | undefined): Promise<string | null> {
  const res = await api(origin).api.projects[':projectId'].queue.next.$get({ param: { projectId }, query: after ? { after } : {} });
  if (res.status === 204) return null;
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw toApiError(res.status, body);
  return (body as { item: { id: string } }).item.id;
}

/** The coders of an item who have submitted, with their names (whose submission an editor may reopen). */
export function submittedCoders(assignments: readonly Assignment[], members: readonly Member[]): { coderId: string; name: string }[] {
  return assignments
    .filter((a) => a.submittedAt !== null)
    .map((a) => ({ coderId: a.coderId, name: members.find((m) => m.userId === a.coderId)?.name ?? 'a former member' }));
}
