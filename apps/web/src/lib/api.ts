import { createApiClient, type ApiClient } from '@concord/server/client';
import { toApiError } from './errors.ts';

/**
 * The typed API client. Pages load their data in the browser (the root layout turns
 * SSR off), so `origin` is the page's own origin and `fetch` is the load event's fetch
 * when there is one.
 */
export function api(origin: string, fetchFn: typeof fetch = fetch): ApiClient {
  return createApiClient(origin, { fetch: fetchFn });
}

interface AnyResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

type OkBody<R extends AnyResponse> = Awaited<ReturnType<Extract<R, { ok: true }>['json']>>;

/** The body of a 2xx response, or an ApiError built from the error body. */
export async function unwrap<R extends AnyResponse>(response: R | Promise<R>): Promise<OkBody<R>> {
  const res = await response;
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body as OkBody<R>;
  throw toApiError(res.status, body);
}
