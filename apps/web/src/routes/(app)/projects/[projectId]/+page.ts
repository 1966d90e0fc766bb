import { api, unwrap } from '$lib/api.ts';
import { itemsApiQuery, parseItemFilters } from '$lib/items-query.ts';
import { failLoad } from '$lib/load.ts';
import { parseProjectView } from '$lib/queue.ts';
import type { PageLoad } from './$types';

/** The project page: a coder's queue (her default) or the whole items table (managers' default). */
export const load: PageLoad = async ({ fetch, url, params, parent }) => {
  const projects = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const filters = parseItemFilters(url.searchParams);
  const [{ me }, project, incidents, members] = await Promise.all([
    parent(),
    unwrap(projects.$get({ param })),
    unwrap(projects.incidents.$get({ param })).then((r) => r.incidents),
    unwrap(projects.members.$get({ param })),
  ]).catch((err: unknown) => failLoad(err, url));
  // Which view depends on the role, so its data is asked for once the role is known.
  const view = parseProjectView(url.searchParams, project.role);
  if (view.kind === 'queue') {
    const queue = await unwrap(projects.queue.$get({ param, query: view.coder ? { coder: view.coder } : {} })).catch((err: unknown) => failLoad(err, url));
    return { me, project, incidents, members, filters, view, queue, rows: [], truncated: false };
  }
  // Every matching row at once (no text): the table virtualises and sorts in the browser.
  const items = await unwrap(projects['item-rows'].$get({ param, query: itemsApiQuery(filters) })).catch((err: unknown) => failLoad(err, url));
  return { me, project, incidents, members, filters, view, queue: null, rows: items.rows, truncated: items.truncated };
};
