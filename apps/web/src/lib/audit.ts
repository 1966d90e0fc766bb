/** The audit page's filters, read from and written to the page URL (the API takes the same names). */
export const AUDIT_FILTERS = ['actor', 'entity', 'action', 'from', 'to'] as const;
export type AuditQuery = Partial<Record<(typeof AUDIT_FILTERS)[number] | 'cursor', string>>;

/** The filters (and cursor) set in `params`; empty ones are left out, as the API reads an empty value as a bad one. */
export function auditQueryOf(params: URLSearchParams): AuditQuery {
  const query: AuditQuery = {};
  for (const key of [...AUDIT_FILTERS, 'cursor'] as const) {
    const value = params.get(key)?.trim();
    if (value) query[key] = value;
  }
  return query;
}

/** The query string for `query` with `cursor` replaced (null: the newest page). */
export function auditSearch(query: AuditQuery, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTERS) if (query[key]) params.set(key, query[key]);
  if (cursor) params.set('cursor', cursor);
  const s = params.toString();
  return s ? `?${s}` : '';
}
