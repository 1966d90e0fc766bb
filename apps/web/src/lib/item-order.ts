import { api, unwrap } from './api.ts';

const cache = new Map<string, Promise<string[]>>();

/**
 * The project's item ids in the project's order (for j/k), loaded once per project and
 * kept for the session so switching items does not wait for it. At most 1,000 items.
 */
export function itemOrder(origin: string, projectId: string): Promise<string[]> {
  let ids = cache.get(projectId);
  if (!ids) {
    const query = { limit: '1000', offset: '0' };
    ids = unwrap(api(origin).api.projects[':projectId'].items.$get({ param: { projectId }, query })).then((r) => r.items.map((i) => i.id));
    ids.catch(() => cache.delete(projectId));
    cache.set(projectId, ids);
  }
  return ids;
}
