import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { LayoutLoad } from './$types';

/**
 * The project every page below shows its navigation for: name, role and the actions the role may
 * take (the tabs follow them). Only params.projectId is read, so moving between the project's pages
 * does not load it again.
 */
export const load: LayoutLoad = async ({ fetch, url, params }) => {
  const project = await unwrap(api(url.origin, fetch).api.projects[':projectId'].$get({ param: { projectId: params.projectId } })).catch((err: unknown) =>
    failLoad(err, url),
  );
  return { project };
};
