/**
 * The pure parts of the virtualised items table: which rows are in the window, and the
 * sort order. Kept out of the component so they are tested without a browser.
 */
import type { ItemRow } from '@concord/shared';

/** Every row has this height (px); the table's CSS uses the same number. */
export const ROW_HEIGHT = 40;
/** Rows rendered above and below the visible ones, so fast scrolling never shows a gap. */
export const OVERSCAN = 10;

export interface RowWindow {
  /** First rendered row (0-based, inclusive). */
  start: number;
  /** One past the last rendered row. */
  end: number;
}

/** Window edges move in steps of this many rows, so slow scrolling changes the DOM every few rows, not every row. */
export const WINDOW_BLOCK = 8;

/**
 * The rows to render for a viewport `height` px tall scrolled to `scrollTop` over `count`
 * rows: the visible ones plus `overscan` on each side, widened to multiples of `block`.
 */
export function rowWindow(input: { scrollTop: number; height: number; count: number; rowHeight?: number; overscan?: number; block?: number }): RowWindow {
  const rowHeight = input.rowHeight ?? ROW_HEIGHT;
  const overscan = input.overscan ?? OVERSCAN;
  const block = input.block ?? 1;
  const first = Math.floor(Math.max(0, input.scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, input.height) / rowHeight) + 1;
  const start = Math.max(0, Math.floor((Math.min(first, input.count) - overscan) / block) * block);
  const end = Math.min(input.count, Math.ceil((first + visible + overscan) / block) * block);
  return { start, end: Math.max(start, end) };
}

/** The scrollTop that brings row `index` fully into a viewport of `height` px (unchanged when it already is). */
export function scrollToShow(input: { index: number; scrollTop: number; height: number; rowHeight?: number }): number {
  const rowHeight = input.rowHeight ?? ROW_HEIGHT;
  const top = input.index * rowHeight;
  if (top < input.scrollTop) return top;
  if (top + rowHeight > input.scrollTop + input.height) return top + rowHeight - input.height;
  return input.scrollTop;
}

export const SORT_KEYS = ['order', 'title', 'externalId', 'platform', 'incident', 'phase', 'publishedAt'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The rows sorted by `key` (stable, so equal values keep the project order); empty values
 * go last in either direction. `order` is the project (import) order the rows come in.
 */
export function sortRows(rows: readonly ItemRow[], key: SortKey, dir: SortDir, incidentNames: ReadonlyMap<string, string>): ItemRow[] {
  if (key === 'order') return dir === 'asc' ? [...rows] : [...rows].reverse();
  const valueOf = (row: ItemRow): string | null => {
    if (key === 'incident') return row.incidentId ? (incidentNames.get(row.incidentId) ?? null) : null;
    return row[key];
  };
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows.map((row, index) => ({ row, index, value: valueOf(row) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
    // ISO timestamps compare as strings; everything else by the reader's collation.
    const c = key === 'publishedAt' ? (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) : collator.compare(a.value, b.value);
    return c === 0 ? a.index - b.index : sign * c;
  });
  return keyed.map((k) => k.row);
}
