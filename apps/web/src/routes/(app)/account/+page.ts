import { api, unwrap } from '$lib/api.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { me } = await parent();
  // Until a generated password is changed the API answers nothing else (PASSWORD_CHANGE_REQUIRED).
  if (me.mustChangePassword) return { mailPreferences: null };
  return { mailPreferences: await unwrap(api(url.origin, fetch).api.auth['mail-preferences'].$get()) };
};
