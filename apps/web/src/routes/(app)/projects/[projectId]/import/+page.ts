import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/**
 * The import wizard: the project (its name and the caller's role), and the codebook and members
 * for importing codes already made (columns mapped to fields, whose codes they are). The wizard
 * itself talks to the import API.
 */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const [info, codebook, members] = await Promise.all([
    unwrap(project.$get({ param })),
    unwrap(project.codebook.$get({ param, query: {} })),
    unwrap(project.members.$get({ param })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { project: info, codebook, members };
};
