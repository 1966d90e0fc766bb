/**
 * Where to go after signing in: the `next` parameter when it is a path on this site,
 * otherwise the project list. Never an absolute or protocol-relative URL (open redirect).
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/')) return '/';
  // Parsed as the browser will: it drops tabs and line breaks and reads `\` as `/`, so a
  // prefix test alone let `/\t/evil.example` through as `//evil.example`.
  const here = 'http://concord.invalid';
  const url = new URL(next, here);
  return url.origin === here ? url.pathname + url.search + url.hash : '/';
}

/** The login URL that brings the user back to `path` afterwards. */
export function loginUrl(path: string): string {
  return path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}
