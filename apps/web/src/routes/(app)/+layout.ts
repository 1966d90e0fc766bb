import { redirect } from '@sveltejs/kit';
import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { LayoutLoad } from './$types';

/** Every page in this group needs a signed-in user; signed-out visitors go to /login. */
export const load: LayoutLoad = async ({ fetch, url }) => {
  const me = await unwrap(api(url.origin, fetch).api.auth.me.$get()).catch((err: unknown) => failLoad(err, url));
  if (me.mustChangePassword && url.pathname !== '/account') redirect(307, '/account');
  return { me };
};
