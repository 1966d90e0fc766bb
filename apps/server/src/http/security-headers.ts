/**
 * Browser defences sent on every response, API and web pages alike. The pages' own
 * Content-Security-Policy comes from SvelteKit (`kit.csp` in apps/web/svelte.config.js,
 * which hashes or nonces its inline bootstrap); API responses get a policy that allows
 * nothing, since JSON and CSV are never meant to render as documents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { AppEnv } from './env.ts';
import { isHttps } from './middleware.ts';
import { incomingFacts } from './origin.ts';
import { requestScheme } from './proxy-trust.ts';

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** HSTS for a year, only on responses that travelled over TLS (a browser ignores it over http anyway). */
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    // For browsers without CSP frame-ancestors.
    'x-frame-options': 'DENY',
    ...(options.https ? { 'strict-transport-security': HSTS } : {}),
  };
}

/**
 * The API's headers, on every response including errors. Answers hold codings, exports and
 * people's names: no browser or proxy cache keeps them (`no-store`), unless the route chose
 * its own policy (an attachment's bytes, which never change under their id).
 */
export function apiSecurityHeaders(config: Pick<Config, 'trustProxy'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(securityHeaders({ https: isHttps(c, config.trustProxy) }))) c.header(name, value);
    c.header('content-security-policy', API_CONTENT_SECURITY_POLICY);
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  };
}

/** The web pages' headers, set before the SvelteKit handler writes its own (CSP among them). */
export function setWebSecurityHeaders(req: IncomingMessage, res: ServerResponse, config: Pick<Config, 'trustProxy'>): void {
  const facts = incomingFacts(req);
  const https = requestScheme(config.trustProxy, facts.peer, facts.encrypted, facts.forwardedProto) === 'https';
  for (const [name, value] of Object.entries(securityHeaders({ https }))) res.setHeader(name, value);
}
