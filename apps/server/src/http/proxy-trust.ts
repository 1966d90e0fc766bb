/**
 * Which reverse proxies are trusted, and what follows from it: the client's address (for
 * the sign-in limits) and whether the request came over TLS. X-Forwarded-For is read from
 * the right: each trusted proxy appends the address it saw, and everything to the left of
 * the nearest untrusted hop was written by the client, who can write anything there.
 */
import { BlockList, isIP } from 'node:net';

export type ProxyTrust =
  | { kind: 'none' }
  /** This many proxies stand in front of the server; the peer is always the nearest one. */
  | { kind: 'hops'; hops: number }
  /** Peers and X-Forwarded-For entries in these ranges are proxies (`list` is kept for display). */
  | { kind: 'addresses'; list: string[]; ranges: BlockList };

export const NO_PROXY: ProxyTrust = { kind: 'none' };

/**
 * Reads CONCORD_TRUST_PROXY: `0`/`false`/`no` (none), `1`/`true`/`yes` (one proxy), a number
 * of proxies, or a comma-separated list of proxy addresses and CIDR ranges. Throws a message.
 */
export function parseProxyTrust(value: string): ProxyTrust {
  const v = value.trim().toLowerCase();
  if (['', '0', 'false', 'no'].includes(v)) return NO_PROXY;
  if (['true', 'yes'].includes(v)) return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new Error('at most 10 proxy hops');
    return hops === 0 ? NO_PROXY : { kind: 'hops', hops };
  }
  const ranges = new BlockList();
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (!family) throw new Error(`"${entry}" is not a number of proxies, an IP address or a CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) ranges.addAddress(address, type);
    else {
      const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) throw new Error(`"${entry}" has an invalid prefix length`);
      ranges.addSubnet(address, bits, type);
    }
  }
  return { kind: 'addresses', list, ranges };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) as `10.0.0.1`; brackets and zones removed. */
function normalizeAddress(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1]! : a;
}

function inRanges(ranges: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && ranges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether the direct peer is a proxy we trust (so its X-Forwarded-* headers count). */
export function peerIsTrustedProxy(trust: ProxyTrust, peer: string): boolean {
  if (trust.kind === 'none') return false;
  if (trust.kind === 'hops') return true;
  return inRanges(trust.ranges, normalizeAddress(peer));
}

/**
 * The client's address: the peer itself without trusted proxies; with `n` proxies the n-th
 * X-Forwarded-For entry from the right (what the outermost proxy saw); with a list, the
 * right-most entry that is not a trusted proxy. A chain shorter than expected yields its
 * left-most entry, the farthest hop anyone vouched for.
 */
export function clientAddress(trust: ProxyTrust, peer: string, forwardedFor: string | undefined): string {
  const direct = normalizeAddress(peer);
  if (trust.kind === 'none' || !peerIsTrustedProxy(trust, peer)) return direct;
  const chain = [...(forwardedFor ?? '').split(',').map(normalizeAddress).filter(Boolean), direct];
  if (trust.kind === 'hops') return chain[Math.max(0, chain.length - 1 - trust.hops)]!;
  const nearestUntrusted = chain.findLast((address) => !inRanges(trust.ranges, address));
  return nearestUntrusted ?? chain[0]!;
}

/** `https` or `http`: the socket's own scheme, or X-Forwarded-Proto when a trusted proxy sent it. */
export function requestScheme(trust: ProxyTrust, peer: string, encrypted: boolean, forwardedProto: string | undefined): 'https' | 'http' {
  if (peerIsTrustedProxy(trust, peer) && forwardedProto) {
    // Several proxies may each append theirs; the first is what the client used.
    return forwardedProto.split(',')[0]!.trim().toLowerCase() === 'https' ? 'https' : 'http';
  }
  return encrypted ? 'https' : 'http';
}
