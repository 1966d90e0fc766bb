import { api, unwrap } from '$lib/api.ts';
import { CALIBRATION_DEPENDENCY, calibrationApiQuery, parseCalibrationFilters } from '$lib/calibration.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/**
 * Calibration against gold (a path no field key can take: keys have no "-"): each coder's
 * agreement with the answer key, per field and over time, under the URL's filters.
 */
export const load: PageLoad = async ({ fetch, url, params, depends }) => {
  depends(CALIBRATION_DEPENDENCY);
  const projects = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const filters = parseCalibrationFilters(url.searchParams);
  const [project, report] = await Promise.all([
    unwrap(projects.$get({ param })),
    unwrap(projects.calibration.$get({ param, query: calibrationApiQuery(filters) })),
  ]).catch((err: unknown) => failLoad(err, url));
  return { project, report, filters, loadedAt: new Date() };
};
