import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/** The import wizard: the project (its name and the caller's role). The wizard itself talks to the import API. */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = await unwrap(api(url.origin, fetch).api.projects[':projectId'].$get({ param: { projectId: params.projectId } })).catch((err: unknown) =>
    failLoad(err, url),
  );
  return { project };
};
