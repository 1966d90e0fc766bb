/** One readable line per audit entry, from what the entry holds (no lookups: it must read the same after a purge). */
import type { AuditEntity } from '@concord/shared';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The thing's own name where the entry carries one (an item's title, an incident's or codebook's name, a member's email). */
function label(before: unknown, after: unknown): string | null {
  for (const side of [after, before]) {
    if (!isObject(side)) continue;
    for (const key of ['title', 'name', 'filename', 'email', 'roundName']) {
      if (typeof side[key] === 'string' && side[key]) return side[key];
    }
  }
  return null;
}

/** Keys whose values differ between the two sides (an edit's changed fields). */
function changedKeys(before: Json, after: Json): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/** Counts an entry reports (an import's inserted, updated, unchanged rows). */
function counts(after: unknown): string[] {
  if (!isObject(after)) return [];
  return Object.entries(after)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${String(v)}`);
}

export function auditSummary(entry: { entity: AuditEntity; entityId: string; action: string; before: unknown; after: unknown }): string {
  const name = label(entry.before, entry.after);
  const subject = name ? `${entry.entity} "${name}"` : `${entry.entity} ${entry.entityId}`;
  const details: string[] = [];
  if (isObject(entry.before) && isObject(entry.after)) {
    const changed = changedKeys(entry.before, entry.after);
    if (changed.length > 0) details.push(`changed ${changed.join(', ')}`);
  }
  // An import's or a gold key's file, an attachment's bytes (a deleted attachment's hash is on the before side).
  const hashed = [entry.after, entry.before].find((side): side is Json => isObject(side) && typeof side.sha256 === 'string');
  if ((entry.entity === 'import' || entry.entity === 'attachment' || entry.entity === 'gold') && hashed) details.push(`sha256 ${String(hashed.sha256).slice(0, 12)}…`);
  details.push(...counts(entry.after));
  return `${entry.action} ${subject}${details.length > 0 ? ` (${details.join('; ')})` : ''}`;
}
