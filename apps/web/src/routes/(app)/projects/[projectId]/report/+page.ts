import { CHART_IDS, type ChartData, type ChartId } from '@concord/shared';
import { api, unwrap } from '$lib/api.ts';
import { messageOf } from '$lib/errors.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

export interface LoadedChart {
  id: ChartId;
  svg: string | null;
  data: ChartData | null;
  error: string | null;
}

function jsonBody<T>(body: T | string): T {
  if (typeof body === 'string') throw new Error('the server answered with text where JSON was expected');
  return body;
}

export const load: PageLoad = async ({ fetch, url, params }) => {
  const projects = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const [project, reportBody] = await Promise.all([
    unwrap(projects.$get({ param })),
    unwrap(projects.report.$get({ param, query: { format: 'json' } })),
  ]).catch((err: unknown) => failLoad(err, url));
  // The route also serves Markdown (?format=md), so its body type includes string.
  const report = jsonBody(reportBody);
  // A chart whose field the codebook lacks says why; the rest of the report still shows.
  const charts: LoadedChart[] = await Promise.all(
    CHART_IDS.map(async (id) => {
      try {
        const [data, svgRes] = await Promise.all([
          unwrap(projects.charts[':chart'].$get({ param: { ...param, chart: id }, query: {} })),
          projects.charts[':chart'].$get({ param: { ...param, chart: `${id}.svg` }, query: {} }),
        ]);
        if (!svgRes.ok) throw new Error(`the chart could not be drawn (${svgRes.status})`);
        return { id, data: jsonBody(data), svg: await svgRes.text(), error: null };
      } catch (err) {
        return { id, data: null, svg: null, error: messageOf(err) };
      }
    }),
  );
  return { project, report, charts };
};
