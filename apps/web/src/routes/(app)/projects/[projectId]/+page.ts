import { api, unwrap } from '$lib/api.ts';
import { itemsApiQuery, parseItemFilters } from '$lib/items-query.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params, parent }) => {
  const projects = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const filters = parseItemFilters(url.searchParams);
  const [{ me }, project, incidents, items, members] = await Promise.all([
    parent(),
    unwrap(projects.$get({ param })),
    unwrap(projects.incidents.$get({ param })).then((r) => r.incidents),
    // Every matching row at once (no text): the table virtualises and sorts in the browser.
    unwrap(projects['item-rows'].$get({ param, query: itemsApiQuery(filters) })),
    unwrap(projects.members.$get({ param })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { me, project, incidents, rows: items.rows, truncated: items.truncated, members, filters };
};
