/**
 * What the service worker (src/service-worker.ts) and the page keep for offline work, as pure
 * rules shared by both, so they are tested without a browser.
 *
 * Blind coding (SECURITY.md): only responses the server already gave this browser's session are
 * kept, and only from the routes a signed-in page needs to open the projects, a queue and its
 * items offline; the server's own authorization decided what each answer holds. Signing out
 * deletes the data cache (offline/data.ts).
 */

/** The app's files of one build (its JavaScript, CSS and static files) and the page shell. */
export const SHELL_CACHE_PREFIX = 'concord-shell-';
export const shellCacheName = (version: string) => `${SHELL_CACHE_PREFIX}${version}`;

/** API answers kept for offline use (one cache for the signed-in account; cleared at sign-out and sign-in). */
export const DATA_CACHE = 'concord-data';

/**
 * Where the page shell is kept. Every page is the same shell (`ssr = false`: the browser loads
 * and renders the data) and its asset paths are absolute (`kit.paths.relative = false`), so one
 * shell opens any page.
 */
export const SHELL_KEY = '/';

const ID = '[^/]+';
/** The API reads a page needs offline (paths; the query string is part of the cache key). */
const KEPT_API_PATHS: readonly RegExp[] = [
  /^\/api\/auth\/me$/,
  /^\/api\/projects$/,
  new RegExp(`^/api/projects/${ID}$`),
  new RegExp(`^/api/projects/${ID}/(queue|codebook|members|incidents|actors|assignments)$`),
  new RegExp(`^/api/projects/${ID}/items/${ID}$`),
  new RegExp(`^/api/projects/${ID}/items/${ID}/(codings/me|attachments)$`),
  new RegExp(`^/api/projects/${ID}/items/${ID}/versions/\\d+$`),
];
/** An attachment's bytes: kept only when they are a raster image (the thumbnails of the coding view). */
const ATTACHMENT_FILE = new RegExp(`^/api/projects/${ID}/items/${ID}/attachments/${ID}$`);
/** The coder's own item list (j/k order), never the project's whole table. */
const ITEM_ROWS = new RegExp(`^/api/projects/${ID}/item-rows$`);

/** Whether a GET of `url` (same origin) may be answered from the data cache when the network fails. */
export function isKeptApiRequest(url: URL): boolean {
  const path = url.pathname;
  if (KEPT_API_PATHS.some((pattern) => pattern.test(path))) return true;
  if (ATTACHMENT_FILE.test(path)) return true;
  return ITEM_ROWS.test(path) && url.searchParams.get('assigned') === 'me' && [...url.searchParams.keys()].length === 1;
}

/** Whether an answer to a GET of `url` is kept: a 200 of a kept route, and for attachment files only raster images. */
export function keepsResponse(url: URL, response: Pick<Response, 'status' | 'headers'>): boolean {
  if (response.status !== 200 || !isKeptApiRequest(url)) return false;
  if (response.headers.get('vary') === '*') return false;
  if (ATTACHMENT_FILE.test(url.pathname)) return /^image\/(png|jpeg|gif|webp)\b/.test(response.headers.get('content-type') ?? '');
  return true;
}

/** Which requests the service worker handles, and how. */
export type Route = 'asset' | 'page' | 'api' | 'pass';

export function routeOf(request: { method: string; mode: string; url: string }, origin: string, assets: ReadonlySet<string>): Route {
  if (request.method !== 'GET') return 'pass';
  const url = new URL(request.url);
  if (url.origin !== origin) return 'pass';
  if (assets.has(url.pathname)) return 'asset';
  const api = url.pathname === '/api' || url.pathname.startsWith('/api/');
  // A download opened as a page (an export, a PDF) is the network's: never kept, never answered offline.
  if (api) return isKeptApiRequest(url) && request.mode !== 'navigate' ? 'api' : 'pass';
  // /yjs and /socket.io are live connections, /metrics is not the app's.
  if (/^\/(yjs|socket\.io|metrics)(\/|$)/.test(url.pathname)) return 'pass';
  return request.mode === 'navigate' ? 'page' : 'pass';
}

/** The page shell answers offline only when it is one: SvelteKit's page, HTML, status 200. */
export function isShellResponse(response: Pick<Response, 'status' | 'headers'>): boolean {
  return response.status === 200 && (response.headers.get('content-type') ?? '').startsWith('text/html') && response.headers.get('x-sveltekit-page') === 'true';
}
