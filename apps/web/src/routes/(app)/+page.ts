import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
  const projects = await unwrap(api(url.origin, fetch).api.projects.$get()).catch((err: unknown) => failLoad(err, url));
  return { projects };
};
