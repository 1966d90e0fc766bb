import { REVIEW_STATUSES } from '@concord/shared';
import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

type Status = (typeof REVIEW_STATUSES)[number];

/** The review queue under the URL's filters (coder, incident, status), with the names the filters show. */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const raw = url.searchParams.get('status') ?? 'pending';
  const filters = {
    coder: url.searchParams.get('coder') ?? '',
    incident: url.searchParams.get('incident') ?? '',
    status: ((REVIEW_STATUSES as readonly string[]).includes(raw) ? raw : 'pending') as Status,
  };
  const query = { status: filters.status, ...(filters.coder ? { coder: filters.coder } : {}), ...(filters.incident ? { incident: filters.incident } : {}) };
  const [queue, incidents, members] = await Promise.all([
    unwrap(project.review.$get({ param, query })),
    unwrap(project.incidents.$get({ param })).then((r) => r.incidents),
    unwrap(project.members.$get({ param })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { queue, incidents, members, filters };
};
