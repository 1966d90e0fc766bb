import { api, unwrap } from '$lib/api.ts';
import { inboxApiQuery, parseInboxFilters } from '$lib/disagreements.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/**
 * The disagreement inbox: a page of items with their ranked disagreements under the URL's filters, plus what the
 * filters and rows need (codebook labels, incidents, members) and the items in a joint
 * session (managers: all; coders: their own).
 */
export const load: PageLoad = async ({ fetch, url, params, parent }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const filters = parseInboxFilters(url.searchParams);
  const { me } = await parent();
  const [info, codebook, incidents, members, inbox] = await Promise.all([
    unwrap(project.$get({ param })),
    unwrap(project.codebook.$get({ param, query: {} })),
    unwrap(project.incidents.$get({ param })).then((r) => r.incidents),
    unwrap(project.members.$get({ param })),
    unwrap(project.disagreements.$get({ param, query: inboxApiQuery(filters, true) })),
  ]).catch((err: unknown) => failLoad(err, url));
  const manager = info.role !== 'coder';
  const joint = await unwrap(project.items.$get({ param, query: { phase: 'joint', limit: '200', ...(manager ? {} : { coder: me.id }) } })).catch(
    (err: unknown) => failLoad(err, url),
  );
  return { me, project: info, codebook, incidents, members, disagreements: inbox.disagreements, total: inbox.total, itemTotal: inbox.itemTotal, filters, joint: joint.items };
};
