/**
 * An incident's items by the day they were published (UTC, as item dates are shown), for the
 * incident page's timeline: days in order, each with its items in project order, and the items
 * without a date apart.
 */
import type { ItemRow } from '@concord/shared';

export interface TimelineDay {
  /** `YYYY-MM-DD`. */
  day: string;
  items: ItemRow[];
}

export interface Timeline {
  days: TimelineDay[];
  undated: ItemRow[];
  /** The first and last day with items (null without any dated item). */
  first: string | null;
  last: string | null;
}

export function timelineOf(rows: readonly ItemRow[]): Timeline {
  const byDay = new Map<string, ItemRow[]>();
  const undated: ItemRow[] = [];
  for (const row of rows) {
    const day = row.publishedAt ? new Date(row.publishedAt).toISOString().slice(0, 10) : null;
    if (!day) undated.push(row);
    else byDay.set(day, [...(byDay.get(day) ?? []), row]);
  }
  const days = [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, items]) => ({ day, items }));
  return { days, undated, first: days[0]?.day ?? null, last: days.at(-1)?.day ?? null };
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `day` (both `YYYY-MM-DD`). */
export const daysBetween = (from: string, day: string): number => Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * Where each day's bar goes on a strip `width` wide spanning `from`..`to` (the incident's dates
 * when known, widened to the items' days): x of the bar's left edge and its height share (0..1].
 */
export function stripBars(t: Timeline, span: { from: string | null; to: string | null }, width: number): { day: string; x: number; share: number; count: number }[] {
  if (!t.first || !t.last) return [];
  const from = span.from && span.from < t.first ? span.from : t.first;
  const to = span.to && span.to > t.last ? span.to : t.last;
  const total = daysBetween(from, to) + 1;
  const max = Math.max(...t.days.map((d) => d.items.length));
  return t.days.map((d) => ({ day: d.day, x: (daysBetween(from, d.day) / total) * width, share: d.items.length / max, count: d.items.length }));
}
