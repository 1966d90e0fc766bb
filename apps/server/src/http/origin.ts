/**
 * Cross-site request refusal, for the API and both WebSocket endpoints. A browser names the
 * page that sent a request in `Origin` (always on cross-site POST/PUT/PATCH/DELETE and on
 * WebSocket upgrades), so a request whose Origin (or, lacking it, Referer) is neither the
 * app's own origin (scheme + Host) nor an allowed one came from another site's page and is
 * refused. A request with neither header came from no browser page (curl, the CLI, Node
 * clients): a cookie it carries was not lent by a browser, so it is let through. A personal
 * access token (`Authorization: Bearer`) is no ambient credential: a page that has one could send
 * it from anywhere, so this check adds nothing for it; tokens only read (GET, which this guard
 * does not check), and their writes are refused by authz.ts whatever the origin.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { AppEnv } from './env.ts';
import { peerAddress } from './middleware.ts';
import { requestScheme } from './proxy-trust.ts';

export type OriginPolicy = Pick<Config, 'trustProxy' | 'allowedOrigins'>;

/** What a request says about where it comes from and where it is addressed. */
export interface OriginFacts {
  origin: string | undefined;
  referer: string | undefined;
  host: string | undefined;
  forwardedProto: string | undefined;
  /** The socket's remote address (decides whether X-Forwarded-Proto counts). */
  peer: string;
  /** Whether the request reached this process over TLS. */
  encrypted: boolean;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOf(text: string): string | null {
  try {
    const origin = new URL(text).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** The app's own origin for this request: the scheme it was made with and its Host. */
export function ownOrigin(facts: OriginFacts, policy: OriginPolicy): string | null {
  if (!facts.host) return null;
  const scheme = requestScheme(policy.trustProxy, facts.peer, facts.encrypted, facts.forwardedProto);
  return originOf(`${scheme}://${facts.host}`);
}

/**
 * Null when the request may proceed, else why not. `useReferer`: fall back to Referer when
 * Origin is missing (HTTP; WebSocket upgrades from browsers always carry Origin).
 */
export function originRefusal(facts: OriginFacts, policy: OriginPolicy, options: { useReferer: boolean }): string | null {
  const claim = facts.origin ?? (options.useReferer ? facts.referer : undefined);
  if (claim === undefined) return null;
  const claimed = originOf(claim);
  if (claimed !== null && (claimed === ownOrigin(facts, policy) || policy.allowedOrigins.includes(claimed))) return null;
  return `requests from ${claimed ?? 'an opaque origin'} are not accepted (allow another front-end with CONCORD_ALLOWED_ORIGINS)`;
}

/** Refuses state-changing API requests sent by another site's page with 403 FORBIDDEN_ORIGIN. */
export function originGuard(policy: OriginPolicy): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (STATE_CHANGING.has(c.req.method)) {
      const refusal = originRefusal(
        {
          origin: c.req.header('origin'),
          referer: c.req.header('referer'),
          host: c.req.header('host') ?? new URL(c.req.url).host,
          forwardedProto: c.req.header('x-forwarded-proto'),
          peer: peerAddress(c),
          encrypted: new URL(c.req.url).protocol === 'https:',
        },
        policy,
        { useReferer: true },
      );
      if (refusal) throw new AppError('FORBIDDEN_ORIGIN', refusal);
    }
    await next();
  };
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** The facts of a Node request (WebSocket upgrades, socket.io handshakes, the web pages). */
export function incomingFacts(req: IncomingMessage): OriginFacts {
  return {
    origin: header(req, 'origin'),
    referer: header(req, 'referer'),
    host: header(req, 'host'),
    forwardedProto: header(req, 'x-forwarded-proto'),
    peer: req.socket.remoteAddress ?? 'local',
    encrypted: 'encrypted' in req.socket && req.socket.encrypted === true,
  };
}

/** Why a WebSocket upgrade (or socket.io handshake) must be refused, or null. */
export function upgradeOriginRefusal(req: IncomingMessage, policy: OriginPolicy): string | null {
  return originRefusal(incomingFacts(req), policy, { useReferer: false });
}

/**
 * Answers a cross-site WebSocket upgrade with 403 and our error body before any WebSocket
 * exists, and returns true; returns false (and does nothing) for an acceptable one.
 */
export function refuseForeignUpgrade(req: IncomingMessage, socket: Duplex, policy: OriginPolicy): boolean {
  const refusal = upgradeOriginRefusal(req, policy);
  if (!refusal) return false;
  const body = JSON.stringify(new AppError('FORBIDDEN_ORIGIN', refusal).toBody());
  socket.end(
    `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  return true;
}
