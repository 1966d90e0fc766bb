import { error, redirect } from '@sveltejs/kit';
import { ApiError } from './errors.ts';
import { loginUrl } from './navigation.ts';

/**
 * Turns a failed API call inside a load function into SvelteKit's answer:
 * signed out → the login page (coming back here afterwards), other API errors → the error page.
 */
export function failLoad(err: unknown, url: URL): never {
  if (err instanceof ApiError) {
    if (err.status === 401) redirect(307, loginUrl(url.pathname + url.search));
    error(err.status, err.message);
  }
  throw err;
}
