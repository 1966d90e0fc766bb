/**
 * Where to go after signing in: the `next` parameter when it is a path on this site,
 * otherwise the project list. Never an absolute or protocol-relative URL (open redirect).
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

/** The login URL that brings the user back to `path` afterwards. */
export function loginUrl(path: string): string {
  return path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}
