import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import { parseReliabilityFilters, RELIABILITY_DEPENDENCY, reliabilityApiQuery } from '$lib/reliability.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params, depends }) => {
  depends(RELIABILITY_DEPENDENCY);
  const projects = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const filters = parseReliabilityFilters(url.searchParams);
  // Imported codings carry no span tags, so span agreement has no includeImported.
  const { includeImported: _imported, ...spanQuery } = reliabilityApiQuery(filters);
  const [project, incidents, members, report, spans] = await Promise.all([
    unwrap(projects.$get({ param })),
    unwrap(projects.incidents.$get({ param })).then((r) => r.incidents),
    unwrap(projects.members.$get({ param })),
    unwrap(projects.reliability.$get({ param, query: reliabilityApiQuery(filters) })),
    unwrap(projects.reliability.spans.$get({ param, query: spanQuery })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { project, incidents, members, report, spans, filters, loadedAt: new Date() };
};
