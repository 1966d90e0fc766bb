import { api, unwrap } from '$lib/api.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, parent }) => {
  const { me } = await parent();
  // Until a generated password is changed the API answers nothing else (PASSWORD_CHANGE_REQUIRED).
  if (me.mustChangePassword) return { mailPreferences: null, tokens: null };
  const client = api(url.origin, fetch);
  const [mailPreferences, tokens] = await Promise.all([unwrap(client.api.auth['mail-preferences'].$get()), unwrap(client.api.auth.tokens.$get())]);
  return { mailPreferences, tokens };
};
