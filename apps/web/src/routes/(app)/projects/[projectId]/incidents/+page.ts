import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/** The project's incidents with their item counts. */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const [info, { incidents }] = await Promise.all([unwrap(project.$get({ param })), unwrap(project.incidents.$get({ param }))]).catch((err: unknown) => failLoad(err, url));
  return { project: info, incidents };
};
