import { describe, expect, it } from 'vitest';
import { isKeptApiRequest, isShellResponse, keepsResponse, routeOf } from '$lib/offline/policy.ts';

const ORIGIN = 'https://concord.example.org';
const url = (path: string) => new URL(path, ORIGIN);
const response = (status: number, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers) });
const P = '/api/projects/prj_aaaaaaaaaaaaaaaa';
const I = `${P}/items/itm_bbbbbbbbbbbbbbbb`;

describe('what is kept for offline work', () => {
  it('keeps the reads a signed-in page needs to open the projects, a queue and its items', () => {
    for (const path of [
      '/api/auth/me',
      '/api/projects',
      P,
      `${P}/queue`,
      `${P}/codebook`,
      `${P}/members`,
      `${P}/incidents`,
      `${P}/actors`,
      `${P}/assignments?item=itm_bbbbbbbbbbbbbbbb`,
      I,
      `${I}/codings/me`,
      `${I}/attachments`,
      `${I}/attachments/att_cccccccccccccccc`,
      `${I}/versions/2`,
      `${P}/item-rows?assigned=me`,
    ]) {
      expect(isKeptApiRequest(url(path)), path).toBe(true);
    }
  });

  it('keeps nothing else: exports, reliability, the audit log, other coders, the whole table, tokens', () => {
    for (const path of [
      `${P}/export/final.csv`,
      `${P}/export/coder-key.csv`,
      `${P}/reliability`,
      `${P}/audit`,
      `${P}/queue/next`,
      `${I}/codings`,
      `${I}/comments`,
      `${P}/item-rows`,
      `${P}/item-rows?assigned=me&q=x`,
      `${P}/item-rows?coder=usr_dddddddddddddddd`,
      '/api/auth/tokens',
      '/api/openapi.json',
      `${P}/items/itm_bbbbbbbbbbbbbbbb/attachments/att_cccccccccccccccc/extra`,
    ]) {
      expect(isKeptApiRequest(url(path)), path).toBe(false);
    }
  });

  it('keeps only successful answers, and of attachment files only raster images', () => {
    expect(keepsResponse(url(`${P}/queue`), response(200, { 'content-type': 'application/json' }))).toBe(true);
    expect(keepsResponse(url(`${P}/queue`), response(401))).toBe(false);
    expect(keepsResponse(url(`${P}/queue`), response(404))).toBe(false);
    expect(keepsResponse(url(`${P}/queue`), response(200, { vary: '*' }))).toBe(false);
    const file = url(`${I}/attachments/att_cccccccccccccccc`);
    expect(keepsResponse(file, response(200, { 'content-type': 'image/png' }))).toBe(true);
    expect(keepsResponse(file, response(200, { 'content-type': 'image/webp' }))).toBe(true);
    expect(keepsResponse(file, response(200, { 'content-type': 'application/pdf' }))).toBe(false);
    expect(keepsResponse(file, response(200, { 'content-type': 'text/html' }))).toBe(false);
    expect(keepsResponse(file, response(200, { 'content-type': 'image/svg+xml' }))).toBe(false);
  });
});

describe('how the service worker routes a request', () => {
  const assets = new Set(['/_app/immutable/entry/start.abc.js', '/favicon.svg']);
  const req = (path: string, mode = 'cors', method = 'GET') => ({ method, mode, url: new URL(path, ORIGIN).href });

  it('answers the build from its cache, pages with the shell, kept API reads from the data cache', () => {
    expect(routeOf(req('/_app/immutable/entry/start.abc.js'), ORIGIN, assets)).toBe('asset');
    expect(routeOf(req('/favicon.svg', 'no-cors'), ORIGIN, assets)).toBe('asset');
    expect(routeOf(req('/projects/prj_aaaaaaaaaaaaaaaa/items/itm_bbbbbbbbbbbbbbbb', 'navigate'), ORIGIN, assets)).toBe('page');
    expect(routeOf(req(`${P}/queue`), ORIGIN, assets)).toBe('api');
  });

  it('leaves writes, other origins, live connections, unkept API reads and API downloads to the network', () => {
    expect(routeOf(req(`${P}/queue`, 'cors', 'POST'), ORIGIN, assets)).toBe('pass');
    expect(routeOf(req(`${I}/codings/me`, 'cors', 'PUT'), ORIGIN, assets)).toBe('pass');
    expect(routeOf({ method: 'GET', mode: 'cors', url: `https://elsewhere.example/api/projects` }, ORIGIN, assets)).toBe('pass');
    expect(routeOf(req('/socket.io/?EIO=4&transport=polling'), ORIGIN, assets)).toBe('pass');
    expect(routeOf(req('/yjs/coding:x:y'), ORIGIN, assets)).toBe('pass');
    expect(routeOf(req('/metrics'), ORIGIN, assets)).toBe('pass');
    expect(routeOf(req(`${P}/export/final.csv`, 'navigate'), ORIGIN, assets)).toBe('pass');
    expect(routeOf(req(`${I}/attachments/att_cccccccccccccccc`, 'navigate'), ORIGIN, assets)).toBe('pass');
    expect(routeOf(req(`${P}/reliability`), ORIGIN, assets)).toBe('pass');
  });

  it('takes as the shell only SvelteKit pages that succeeded', () => {
    expect(isShellResponse(response(200, { 'content-type': 'text/html', 'x-sveltekit-page': 'true' }))).toBe(true);
    expect(isShellResponse(response(500, { 'content-type': 'text/html', 'x-sveltekit-page': 'true' }))).toBe(false);
    expect(isShellResponse(response(200, { 'content-type': 'text/html' }))).toBe(false);
    expect(isShellResponse(response(200, { 'content-type': 'application/json', 'x-sveltekit-page': 'true' }))).toBe(false);
  });
});
