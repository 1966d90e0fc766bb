import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const [info, members] = await Promise.all([unwrap(project.$get({ param })), unwrap(project.members.$get({ param }))]).catch((err: unknown) =>
    failLoad(err, url),
  );
  // Pending invitations are the managers' to see (and revoke).
  const invitations = info.actions.includes('members.manage') ? await unwrap(project.invitations.$get({ param })).catch((err: unknown) => failLoad(err, url)) : [];
  return { project: info, members, invitations };
};
