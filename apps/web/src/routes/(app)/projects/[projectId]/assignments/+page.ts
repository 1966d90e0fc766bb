import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  try {
    const [info, members, incidents] = await Promise.all([
      unwrap(project.$get({ param })),
      unwrap(project.members.$get({ param })),
      unwrap(project.incidents.$get({ param })).then((r) => r.incidents),
    ]);
    // Only managers may plan rounds and see everyone's load.
    const workload = info.actions.includes('assignments.manage') ? await unwrap(project.assignments.workload.$get({ param })) : null;
    return { project: info, members, incidents, workload };
  } catch (err) {
    return failLoad(err, url);
  }
};
