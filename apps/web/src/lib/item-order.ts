import { api, unwrap } from './api.ts';

const cache = new Map<string, Promise<string[]>>();

/**
 * The item ids j/k walks through: the order the items table or queue last showed for the
 * project (its filter and sort), or else a coder's queue (`queue`: her assigned items, so j
 * never walks into items she does not code) or every item, in project order. Kept for the
 * session, so switching items does not wait for it.
 */
export function itemOrder(origin: string, projectId: string, options: { queue: boolean }): Promise<string[]> {
  let ids = cache.get(projectId);
  if (!ids) {
    const query = options.queue ? { assigned: 'me' as const } : {};
    ids = unwrap(api(origin).api.projects[':projectId']['item-rows'].$get({ param: { projectId }, query })).then((r) => r.rows.map((i) => i.id));
    ids.catch(() => cache.delete(projectId));
    cache.set(projectId, ids);
  }
  return ids;
}

/** The items table's or queue's current order: j/k in the coding view then follows what the user was looking at. */
export function rememberItemOrder(projectId: string, ids: string[]): void {
  cache.set(projectId, Promise.resolve(ids));
}
