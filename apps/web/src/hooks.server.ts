import type { Handle } from '@sveltejs/kit';

/**
 * The page shell holds no data (`ssr = false`), but a signed-in page the browser keeps whole for
 * Back (its back/forward cache) does: `no-store` keeps it out of that cache on a shared computer
 * after a sign-out, also where Clear-Site-Data does not apply (plain http). SECURITY.md rule 12.
 */
export const handle: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
  return response;
};
