/**
 * Paged lists whose page number lives in the URL (`?page=`, 1-based, absent on the first page)
 * beside their filters: the disagreements inbox and the workbench (`components/Pager.svelte`).
 */

/** How many pages `total` entries fill, `perPage` a page; at least one. */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/** The query string of `page` under the same filters (`search`, the current one). */
export function pageSearch(search: string, page: number): string {
  const params = new URLSearchParams(search);
  if (page <= 1) params.delete('page');
  else params.set('page', String(page));
  const out = params.toString();
  return out ? `?${out}` : '?';
}
