import { api, unwrap } from '$lib/api.ts';
import type { AuditEntity } from '@concord/shared';
import { auditQueryOf, type AuditQuery } from '$lib/audit.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/** The filters and the page live in the URL, so a filtered view can be bookmarked, shared and paged back. */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const query = auditQueryOf(url.searchParams);
  const [info, members, audit] = await Promise.all([
    unwrap(project.$get({ param })),
    unwrap(project.members.$get({ param })),
    // The URL is the user's to edit: the API validates it, and a bad filter shows its 400 message.
    unwrap(project.audit.$get({ param, query: query as AuditQuery & { entity?: AuditEntity } })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { project: info, members, audit, query };
};
