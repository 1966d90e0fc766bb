import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/** One incident: its record and counts, and its items (table rows, no text) for the timeline. */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const [info, incident, items] = await Promise.all([
    unwrap(project.$get({ param })),
    unwrap(project.incidents[':incidentId'].$get({ param: { ...param, incidentId: params.incidentId } })),
    unwrap(project['item-rows'].$get({ param, query: { incident: params.incidentId } })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { project: info, incident, rows: items.rows, truncated: items.truncated };
};
