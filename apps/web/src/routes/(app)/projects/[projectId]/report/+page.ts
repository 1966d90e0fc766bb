import { CHART_IDS } from '@concord/shared';
import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import { loadChart } from '$lib/report-charts.ts';
import type { PageLoad } from './$types';

function jsonBody<T>(body: T | string): T {
  if (typeof body === 'string') throw new Error('the server answered with text where JSON was expected');
  return body;
}

export const load: PageLoad = async ({ fetch, url, params }) => {
  const client = api(url.origin, fetch);
  const projects = client.api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const [project, reportBody] = await Promise.all([
    unwrap(projects.$get({ param })),
    unwrap(projects.report.$get({ param, query: { format: 'json' } })),
  ]).catch((err: unknown) => failLoad(err, url));
  // The route also serves Markdown (?format=md), so its body type includes string.
  const report = jsonBody(reportBody);
  const charts = await Promise.all(CHART_IDS.map((id) => loadChart(client, params.projectId, id)));
  return { project, report, charts };
};
