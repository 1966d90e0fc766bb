import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/** One disagreement: the detail (item, coders' values and notes, decision, history), its thread, the members (names and handles). */
export const load: PageLoad = async ({ fetch, url, params, parent }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const itemParam = { ...param, itemId: params.itemId };
  const [{ me }, info, detail, comments, members] = await Promise.all([
    parent(),
    unwrap(project.$get({ param })),
    unwrap(project.items[':itemId'].disagreements[':fieldKey'].$get({ param: { ...itemParam, fieldKey: params.fieldKey } })),
    unwrap(project.items[':itemId'].comments.$get({ param: itemParam, query: { field: params.fieldKey } })),
    unwrap(project.members.$get({ param })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { me, project: info, detail, comments, members };
};
