/**
 * Calling the real API from tests through the typed client (`createApiClient`).
 */
import { createApiClient } from '@concord/server/client';
import { TEST_DEMO_PASSWORD } from './server.ts';

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

/** A signed-in account: its id, name and session cookie (`name=value`). */
export interface SignedIn {
  id: string;
  name: string;
  cookie: string;
}

/** Signs in through `POST /api/auth/login` and reads who that is. */
export async function signIn(serverUrl: string, email: string, password: string): Promise<SignedIn> {
  const res = await fetch(new URL('/api/auth/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const me = await ok(createApiClient(serverUrl, { headers: { cookie } }).api.auth.me.$get());
  return { id: me.id, name: me.name, cookie };
}

/** Signs in as a demo account (`coder1`, `editor`, …) of a server started with CONCORD_DEMO=1. */
export const signInDemo = (serverUrl: string, who: string) => signIn(serverUrl, `${who}@demo.concord`, TEST_DEMO_PASSWORD);
