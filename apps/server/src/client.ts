/**
 * The typed API client for the web app and tests. Only types and the hc factory
 * cross into the web bundle; no server code does.
 */
import { hc, type ClientRequestOptions } from 'hono/client';
import type { AppType } from './app.ts';

export type ApiClient = ReturnType<typeof hc<AppType>>;

export function createApiClient(baseUrl: string, options?: ClientRequestOptions): ApiClient {
  return hc<AppType>(baseUrl, options);
}
