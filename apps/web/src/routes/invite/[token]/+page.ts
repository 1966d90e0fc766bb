import { api, unwrap } from '$lib/api.ts';
import { ApiError, messageOf } from '$lib/errors.ts';
import type { PageLoad } from './$types';

/**
 * The invitation behind the link, or why it cannot be used (already used, expired, replaced):
 * shown on the page. For an account that already has a password, also who is signed in here.
 */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const client = api(url.origin, fetch).api;
  try {
    const invite = await unwrap(client.invites[':token'].$get({ param: { token: params.token } }));
    const signedInAs = invite.needsPassword ? null : await unwrap(client.auth.me.$get()).then((me) => me.email, () => null);
    return { invite, signedInAs, problem: null };
  } catch (err) {
    return { invite: null, signedInAs: null, problem: { code: err instanceof ApiError ? err.code : 'INTERNAL', message: messageOf(err) } };
  }
};
