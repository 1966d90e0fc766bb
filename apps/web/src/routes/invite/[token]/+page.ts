import { api, unwrap } from '$lib/api.ts';
import { ApiError, messageOf } from '$lib/errors.ts';
import type { PageLoad } from './$types';

/** The invitation behind the link, or why it cannot be used (already used, expired, replaced): shown on the page. */
export const load: PageLoad = async ({ fetch, url, params }) => {
  try {
    const invite = await unwrap(api(url.origin, fetch).api.invites[':token'].$get({ param: { token: params.token } }));
    return { invite, problem: null };
  } catch (err) {
    return { invite: null, problem: { code: err instanceof ApiError ? err.code : 'INTERNAL', message: messageOf(err) } };
  }
};
