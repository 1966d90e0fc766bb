import { api, unwrap } from '$lib/api.ts';
import { itemsApiQuery, parseItemFilters } from '$lib/items-query.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params }) => {
  const projects = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const filters = parseItemFilters(url.searchParams);
  const [project, incidents, items] = await Promise.all([
    unwrap(projects.$get({ param })),
    unwrap(projects.incidents.$get({ param })),
    unwrap(projects.items.$get({ param, query: itemsApiQuery(filters) })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { project, incidents, items: items.items, total: items.total, filters };
};
