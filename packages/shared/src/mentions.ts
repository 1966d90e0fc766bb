/**
 * Mentions in discussion comments. A handle is `@` followed by letters, digits, `.`,
 * `_` or `-`, at the start of the text or after a character that is none of those
 * (so `a@b.org` is no mention). It names a project member when it equals, ignoring case,
 * the local part of the member's email (`@coder1` for coder1@example.org) or the
 * member's display name without its spaces (`@DanaCoder` for "Dana Coder").
 * A trailing `.` (the end of a sentence) is not part of a handle.
 */

const HANDLE = /(?<![\p{L}\p{N}._-])@([\p{L}\p{N}._-]+)/gu;

/** The handles written in a text, lower-cased, first occurrence order, without duplicates. */
export function mentionHandles(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(HANDLE)) {
    const handle = match[1]!.replace(/\.+$/, '').toLowerCase();
    if (handle) found.add(handle);
  }
  return [...found];
}

/** The handles that name a member: the email's local part and the display name without spaces. */
export function memberHandles(member: { email: string; name: string }): string[] {
  const at = member.email.lastIndexOf('@');
  const local = (at >= 0 ? member.email.slice(0, at) : member.email).toLowerCase();
  const name = member.name.replace(/\s+/gu, '').toLowerCase();
  return [...new Set([local, name].filter(Boolean))];
}

/** The ids of the members a text mentions, in the order they are first mentioned. */
export function resolveMentions(text: string, members: readonly { userId: string; email: string; name: string }[]): string[] {
  const byHandle = new Map<string, string>();
  for (const m of members) for (const h of memberHandles(m)) if (!byHandle.has(h)) byHandle.set(h, m.userId);
  const ids: string[] = [];
  for (const handle of mentionHandles(text)) {
    const id = byHandle.get(handle);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * The text with each handle `rename` knows replaced by `@` and what it returns (handles it does
 * not know, and the rest of the text, as they are). `rename` gets the handle as `mentionHandles`
 * gives it (lower-cased, without a sentence-ending dot); the dot stays in the text. Exports use
 * it to name mentioned people by pseudonym (SECURITY.md, "Exports name people by pseudonym").
 */
export function renameMentions(text: string, rename: (handle: string) => string | undefined): string {
  return text.replace(HANDLE, (whole: string, raw: string) => {
    const handle = raw.replace(/\.+$/, '');
    const to = handle ? rename(handle.toLowerCase()) : undefined;
    return to === undefined ? whole : `@${to}${raw.slice(handle.length)}`;
  });
}
