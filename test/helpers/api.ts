/**
 * Calling the real API from tests through the typed client (`createApiClient`).
 */

interface AnyResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

/** The body of the route's success response, as its OpenAPI route types it. */
export type OkBody<R extends AnyResponse> = Awaited<ReturnType<Extract<R, { ok: true }>['json']>>;

/** The 2xx body of a typed-client call, or a thrown error carrying the API's answer. */
export async function ok<R extends AnyResponse>(res: Promise<R>): Promise<OkBody<R>> {
  const r = await res;
  if (!r.ok) throw new Error(`API answered ${r.status}: ${JSON.stringify(await r.json())}`);
  return (await r.json()) as OkBody<R>;
}
