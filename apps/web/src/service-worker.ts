/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
/**
 * Offline from a cold start (issue 13 item 8): with no connection at all, Concord still opens.
 * - The app's files of this build are cached at install and answered from the cache.
 * - Pages are fetched from the network; the last page shell the server sent is kept (with its
 *   headers, so its Content-Security-Policy and the nonce of its one inline script stay paired)
 *   and answers every page when the network fails.
 * - The API reads a page needs (lib/offline/policy.ts) are fetched from the network and kept;
 *   when the network fails the kept answer is given, else the request fails as it would without
 *   a service worker. The page also stores a coder's queue ahead of time (lib/offline/prepare.ts).
 * Coded values never pass through here: they live in the coder's own Yjs documents, kept in
 * IndexedDB (lib/collab.ts), which sync over /yjs when the connection is back.
 */
import { build, files, version } from '$service-worker';
import { DATA_CACHE, SHELL_CACHE_PREFIX, SHELL_KEY, isShellResponse, keepsResponse, routeOf, shellCacheName } from '$lib/offline/policy.ts';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL_CACHE = shellCacheName(version);
const ASSETS = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll([...ASSETS]);
      // The shell of this build, so a page can open offline even if none was visited since.
      const shell = await fetch(SHELL_KEY, { credentials: 'same-origin' });
      if (isShellResponse(shell)) await cache.put(SHELL_KEY, shell);
      // A new build takes over at once: the old one's files stay reachable over the network.
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(SHELL_CACHE_PREFIX) && name !== SHELL_CACHE) await caches.delete(name);
      }
      // The page that registered this worker is served by it from now on, so what it loads is kept.
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  switch (routeOf(request, sw.location.origin, ASSETS)) {
    case 'asset':
      event.respondWith(asset(request));
      return;
    case 'page':
      event.respondWith(page(event));
      return;
    case 'api':
      event.respondWith(apiRead(event));
      return;
    case 'pass':
      return;
  }
});

/** A file of this build: the cache first (it never changes under its name), the network if missing. */
async function asset(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** A page: the network (keeping its shell), else the last shell kept. */
async function page(event: FetchEvent): Promise<Response> {
  try {
    const response = await fetch(event.request);
    if (isShellResponse(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.put(SHELL_KEY, copy)));
    }
    return response;
  } catch (err) {
    const shell = await (await caches.open(SHELL_CACHE)).match(SHELL_KEY);
    if (shell) return shell;
    throw err;
  }
}

/** An API read: the network (keeping a kept route's answer), else the kept answer, else the network's failure. */
async function apiRead(event: FetchEvent): Promise<Response> {
  const { request } = event;
  try {
    const response = await fetch(request);
    if (keepsResponse(new URL(request.url), response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(DATA_CACHE).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch (err) {
    const kept = await (await caches.open(DATA_CACHE)).match(request, { ignoreVary: true });
    if (kept) return kept;
    throw err;
  }
}
