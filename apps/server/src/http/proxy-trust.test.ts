import { describe, expect, it } from 'vitest';
import { clientAddress, parseProxyTrust, peerIsTrustedProxy, requestScheme } from './proxy-trust.ts';

describe('parseProxyTrust', () => {
  it('keeps the old values: 0/false/no trust nobody, 1/true/yes one proxy', () => {
    for (const v of ['0', 'false', 'no', '']) expect(parseProxyTrust(v).kind).toBe('none');
    for (const v of ['1', 'true', 'yes']) expect(parseProxyTrust(v)).toEqual({ kind: 'hops', hops: 1 });
    expect(parseProxyTrust('2')).toEqual({ kind: 'hops', hops: 2 });
  });

  it('reads addresses and CIDR ranges, IPv4 and IPv6, and refuses anything else', () => {
    const trust = parseProxyTrust('10.0.0.0/8, 192.168.1.5, fd00::/8');
    expect(trust).toMatchObject({ kind: 'addresses', list: ['10.0.0.0/8', '192.168.1.5', 'fd00::/8'] });
    expect(peerIsTrustedProxy(trust, '10.200.3.4')).toBe(true);
    expect(peerIsTrustedProxy(trust, '::ffff:10.200.3.4')).toBe(true);
    expect(peerIsTrustedProxy(trust, 'fd12::1')).toBe(true);
    expect(peerIsTrustedProxy(trust, '192.168.1.6')).toBe(false);
    for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.0/x', '1.2.3']) expect(() => parseProxyTrust(bad)).toThrow();
  });
});

describe('clientAddress', () => {
  it('ignores X-Forwarded-For without trusted proxies', () => {
    expect(clientAddress(parseProxyTrust('0'), '198.51.100.9', '203.0.113.1')).toBe('198.51.100.9');
  });

  it('with one proxy takes the right-most entry, whatever the client wrote to its left', () => {
    const one = parseProxyTrust('1');
    expect(clientAddress(one, '127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress(one, '127.0.0.1', '1.1.1.1, 2.2.2.2, 203.0.113.7')).toBe('203.0.113.7');
    // No header: the proxy itself is the client (e.g. its own health check).
    expect(clientAddress(one, '127.0.0.1', undefined)).toBe('127.0.0.1');
  });

  it('with two proxies takes the second entry from the right', () => {
    const two = parseProxyTrust('2');
    expect(clientAddress(two, '10.0.0.2', 'spoofed, 203.0.113.7, 10.0.0.1')).toBe('203.0.113.7');
    expect(clientAddress(two, '10.0.0.2', '203.0.113.7, 10.0.0.1')).toBe('203.0.113.7');
    // A chain shorter than the configured hops gives its left-most (farthest) entry.
    expect(clientAddress(two, '10.0.0.2', '10.0.0.1')).toBe('10.0.0.1');
  });

  it('with a list walks from the right past trusted proxies', () => {
    const list = parseProxyTrust('10.0.0.0/8,127.0.0.1');
    expect(clientAddress(list, '127.0.0.1', 'spoofed, 203.0.113.7, 10.1.2.3')).toBe('203.0.113.7');
    expect(clientAddress(list, '127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    // An untrusted peer's header is not read at all.
    expect(clientAddress(list, '198.51.100.9', '203.0.113.7')).toBe('198.51.100.9');
    // Only proxies in the chain: the farthest one.
    expect(clientAddress(list, '127.0.0.1', '10.9.9.9')).toBe('10.9.9.9');
  });
});

describe('requestScheme', () => {
  it('reads X-Forwarded-Proto only from a trusted proxy', () => {
    expect(requestScheme(parseProxyTrust('0'), '127.0.0.1', false, 'https')).toBe('http');
    expect(requestScheme(parseProxyTrust('1'), '127.0.0.1', false, 'https')).toBe('https');
    expect(requestScheme(parseProxyTrust('10.0.0.0/8'), '127.0.0.1', false, 'https')).toBe('http');
    expect(requestScheme(parseProxyTrust('10.0.0.0/8'), '10.0.0.1', false, 'https, http')).toBe('https');
    expect(requestScheme(parseProxyTrust('0'), '127.0.0.1', true, undefined)).toBe('https');
  });
});
