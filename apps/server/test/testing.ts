/**
 * Helpers both test packages use: this package's tests import them from here, the end-to-end
 * tests in test/ as `@concord/server/testing` (the e2e package already depends on
 * @concord/server, as the server's tests depend on `@concord/db/testing`; nothing here
 * reaches into test/). The environment is passed in: only test files read it.
 */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Retries `fn` until it stops throwing, or rethrows its last error after `timeoutMs`: tests
 * wait on a condition, never on a sleep.
 */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

interface AnyResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

/** The body of the route's success response, as its OpenAPI route types it. */
export type OkBody<R extends AnyResponse> = Awaited<ReturnType<Extract<R, { ok: true }>['json']>>;

/** The 2xx body of a typed-client call (`createApiClient`, `Harness.client`), or a thrown error carrying the API's answer. */
export async function ok<R extends AnyResponse>(res: R | Promise<R>): Promise<OkBody<R>> {
  const r = await res;
  if (!r.ok) throw new Error(`API answered ${r.status}: ${JSON.stringify(await r.json())}`);
  return (await r.json()) as OkBody<R>;
}

/**
 * A service a suite needs is missing: with CI=true that fails the run (a skipped suite must
 * never look green there, as in test/helpers/chromium.ts); elsewhere a loud notice and null,
 * and the caller skips.
 */
export function missingService(env: { CI?: string }, problem: string, suite = 'the scale-out tests'): null {
  if (env.CI === 'true') throw new Error(`${problem}: CI must run ${suite}`);
  console.warn(`\n\n*** ${problem}: SKIPPING ${suite}. ***\n\n`);
  return null;
}

/**
 * The Redis for scale-out tests: REDIS_URL, default redis://127.0.0.1:6379, answering a PING.
 * Unreachable: `missingService` (null, or a failure with CI=true).
 */
export async function reachableRedis(env: { REDIS_URL?: string; CI?: string }, suite?: string): Promise<string | null> {
  const url = env.REDIS_URL || DEFAULT_REDIS_URL;
  const { Redis } = await import('ioredis');
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  probe.on('error', () => {}); // the failure is reported below
  try {
    await probe.connect();
    await probe.ping();
    return url;
  } catch (err) {
    return missingService(env, `Redis at ${url} is unreachable (${err instanceof Error ? err.message : String(err)}); start redis-server or set REDIS_URL`, suite);
  } finally {
    probe.disconnect();
  }
}
