/**
 * The report page's charts: each chart's counts (JSON) and drawing (SVG) from
 * `…/charts/:chart`, for the whole study or one incident (`?incident=`), and the links to
 * its SVG and CSV files.
 */
import type { ApiClient } from '@concord/server/client';
import type { ChartData, ChartId } from '@concord/shared';
import { unwrap } from './api.ts';
import { messageOf } from './errors.ts';

export interface LoadedChart {
  id: ChartId;
  /** The incident the chart is limited to, else null. */
  incident: string | null;
  svg: string | null;
  data: ChartData | null;
  error: string | null;
}

/** The file of a chart: `svg` or `csv`, limited to an incident when one is given. */
export function chartFileHref(projectId: string, id: ChartId, format: 'svg' | 'csv', incident: string | null): string {
  return `/api/projects/${projectId}/charts/${id}.${format}${incident ? `?incident=${encodeURIComponent(incident)}` : ''}`;
}

/** A chart whose field the codebook lacks says why (in `error`), so the rest of the report still shows. */
export async function loadChart(client: ApiClient, projectId: string, id: ChartId, incident: string | null = null): Promise<LoadedChart> {
  const chart = client.api.projects[':projectId'].charts[':chart'];
  const query = incident ? { incident } : {};
  try {
    const [data, svgRes] = await Promise.all([
      unwrap(chart.$get({ param: { projectId, chart: id }, query })),
      chart.$get({ param: { projectId, chart: `${id}.svg` }, query }),
    ]);
    if (!svgRes.ok) throw new Error(`the chart could not be drawn (${svgRes.status})`);
    // The route also serves SVG and CSV, so its body type includes string.
    if (typeof data === 'string') throw new Error('the server answered with text where JSON was expected');
    return { id, incident, data, svg: await svgRes.text(), error: null };
  } catch (err) {
    return { id, incident, data: null, svg: null, error: messageOf(err) };
  }
}

/** The incidents Chart 3 can be limited to: the series of the whole chart, but "No incident". */
export function chartIncidents(chart: LoadedChart | undefined): { id: string; name: string }[] {
  return (chart?.data?.series ?? []).filter((s) => s.key !== 'none').map((s) => ({ id: s.key, name: s.label }));
}
