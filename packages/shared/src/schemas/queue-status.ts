/**
 * Where a coder stands on an assigned item: `todo` (nothing coded yet), `in_progress` (some
 * values saved, not submitted), `submitted`. Its own module because the item filters and the
 * queue schemas both need it.
 */
export const QUEUE_STATUSES = ['todo', 'in_progress', 'submitted'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
