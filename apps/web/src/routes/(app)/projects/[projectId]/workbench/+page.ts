import { redirect } from '@sveltejs/kit';
import { api, unwrap } from '$lib/api.ts';
import { ApiError } from '$lib/errors.ts';
import { failLoad } from '$lib/load.ts';
import { parseWorkbenchFilters, workbenchApiQuery } from '$lib/workbench.ts';
import type { PageLoad } from './$types';

/** The narrative workbench: a page of items under the URL's filters, grouped on the page. */
export const load: PageLoad = async ({ fetch, url, params, parent }) => {
  const filters = parseWorkbenchFilters(url.searchParams);
  const { project } = await parent();
  const workbench = await unwrap(api(url.origin, fetch).api.projects[':projectId'].workbench.$get({ param: { projectId: params.projectId }, query: workbenchApiQuery(filters) })).catch(
    (err: unknown) => {
      // The frame of another frame field (the field was just changed): the same page without it.
      if (err instanceof ApiError && err.status === 400 && filters.frame) {
        const next = new URL(url);
        next.searchParams.delete('frame');
        redirect(307, next.pathname + next.search);
      }
      return failLoad(err, url);
    },
  );
  return { project, workbench, filters };
};
