import { api, unwrap } from '$lib/api.ts';
import { inboxApiQuery, parseInboxFilters } from '$lib/disagreements.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/**
 * One disagreement: the detail (item, coders' values and notes, decision, history), its
 * thread, the members (names and handles), and the inbox under the URL's filters (for
 * previous / next).
 */
export const load: PageLoad = async ({ fetch, url, params, parent }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const itemParam = { ...param, itemId: params.itemId };
  const [{ me }, info, detail, comments, members, inbox] = await Promise.all([
    parent(),
    unwrap(project.$get({ param })),
    unwrap(project.items[':itemId'].disagreements[':fieldKey'].$get({ param: { ...itemParam, fieldKey: params.fieldKey } })),
    unwrap(project.items[':itemId'].comments.$get({ param: itemParam, query: { field: params.fieldKey } })),
    unwrap(project.members.$get({ param })),
    unwrap(project.disagreements.$get({ param, query: inboxApiQuery(parseInboxFilters(url.searchParams)) })),
  ]).catch((err: unknown) => failLoad(err, url));
  const order = inbox.disagreements.map((d) => ({ itemId: d.itemId, fieldKey: d.fieldKey }));
  return { me, project: info, detail, comments, members, order };
};
