import { api, unwrap } from './api.ts';

const cache = new Map<string, Promise<string[]>>();

/**
 * The item ids j/k walks through: the order the items table last showed for the project
 * (its filter and sort), or else every item in project order. Kept for the session, so
 * switching items does not wait for it.
 */
export function itemOrder(origin: string, projectId: string): Promise<string[]> {
  let ids = cache.get(projectId);
  if (!ids) {
    ids = unwrap(api(origin).api.projects[':projectId']['item-rows'].$get({ param: { projectId }, query: {} })).then((r) => r.rows.map((i) => i.id));
    ids.catch(() => cache.delete(projectId));
    cache.set(projectId, ids);
  }
  return ids;
}

/** The items table's current order: j/k in the coding view then follows what the user was looking at. */
export function rememberItemOrder(projectId: string, ids: string[]): void {
  cache.set(projectId, Promise.resolve(ids));
}
