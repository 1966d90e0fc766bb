/** A coder's own queue: her assigned items by status, and the next one to code. */
import { z } from 'zod';
import { text } from './common.ts';
import { itemRowSchema, itemSchema } from './item.ts';
import { QUEUE_STATUSES } from './queue-status.ts';

export { QUEUE_STATUSES, type QueueStatus } from './queue-status.ts';

export const queueQuery = z.object({
  /** Whose queue: the caller's by default; managers may name any member (coders only themselves). */
  coder: text().max(100).optional(),
});
export type QueueQuery = z.infer<typeof queueQuery>;

export const queueEntrySchema = itemRowSchema.extend({
  status: z.enum(QUEUE_STATUSES),
  /** False when the item left the independent phase before this coder submitted. */
  blind: z.boolean(),
});
export type QueueEntry = z.infer<typeof queueEntrySchema>;

export const queueSchema = z.object({
  coderId: text(),
  /** The coder's assigned items in project (import) order; the order j, k and n follow. */
  entries: z.array(queueEntrySchema),
  /** Counts per status; "my n of m" is submitted of the entries. */
  counts: z.object({ todo: z.number().int(), in_progress: z.number().int(), submitted: z.number().int() }),
});
export type Queue = z.infer<typeof queueSchema>;

export const queueNextQuery = z.object({
  /** The item the coder is on: the next unsubmitted item after it in queue order, wrapping around. */
  after: text().max(100).optional(),
});
export type QueueNextQuery = z.infer<typeof queueNextQuery>;

export const queueNextSchema = z.object({ item: itemSchema });
export type QueueNext = z.infer<typeof queueNextSchema>;
