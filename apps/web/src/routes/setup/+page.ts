import { api, unwrap } from '$lib/api.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
  const status = await unwrap(api(url.origin, fetch).api.auth.setup.$get()).catch(() => null);
  return { status };
};
