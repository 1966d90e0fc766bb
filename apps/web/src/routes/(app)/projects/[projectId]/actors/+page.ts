import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params }) => {
  const { actors } = await unwrap(api(url.origin, fetch).api.projects[':projectId'].actors.$get({ param: { projectId: params.projectId }, query: {} })).catch(
    (err: unknown) => failLoad(err, url),
  );
  return { actors };
};
