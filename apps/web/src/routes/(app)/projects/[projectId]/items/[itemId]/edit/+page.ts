import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/** Editing one item: the item, the project (the caller's actions) and its incidents. */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const [info, item, { incidents }] = await Promise.all([
    unwrap(project.$get({ param })),
    unwrap(project.items[':itemId'].$get({ param: { ...param, itemId: params.itemId } })),
    unwrap(project.incidents.$get({ param })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { project: info, item, incidents };
};
