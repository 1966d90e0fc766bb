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
    // Only managers may plan rounds, sample review rounds and see everyone's load.
    const manager = info.actions.includes('assignments.manage');
    const [workload, reviewRounds] = manager
      ? await Promise.all([unwrap(project.assignments.workload.$get({ param })), unwrap(project.review.rounds.$get({ param })).then((r) => r.rounds)])
      : [null, []];
    return { project: info, members, incidents, workload, reviewRounds };
  } catch (err) {
    return failLoad(err, url);
  }
};
