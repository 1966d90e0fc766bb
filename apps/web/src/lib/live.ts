/**
 * Pages that show project data refetch it when the project's events say it changed: one
 * debounced refresh per burst (a reveal sends several events at once), ids only on the wire
 * (the events carry no values; the refetch asks the API, which applies the blind rules).
 */
import type { ServerToClientEvents } from '@concord/shared';
import { onProjectEvent } from './realtime.ts';
import { debounce } from './debounce.ts';

/** Events often come in bursts (a coder submits a batch): one refetch after the burst. */
export const LIVE_REFETCH_MS = 400;

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/** What changes a review page: a submit, a reveal or another phase change, a decision or reopen. */
export const REVIEW_EVENTS = ['item:phase', 'item:submitted', 'codings:changed', 'adjudication:changed'] as const satisfies readonly EventName[];

/**
 * Calls `refresh` (debounced) after any of `events` in the project, when `when` (if given)
 * accepts the payload; returns the way to stop. Use in an `$effect`.
 */
export function liveRefresh(
  projectId: string,
  events: readonly EventName[],
  refresh: () => void,
  when?: (event: EventName, payload: Payload<EventName>) => boolean,
): () => void {
  const later = debounce(refresh, LIVE_REFETCH_MS);
  const offs = events.map((event) =>
    onProjectEvent(projectId, event, (payload) => {
      if (!when || when(event, payload as Payload<EventName>)) later.call();
    }),
  );
  return () => {
    later.cancel();
    for (const off of offs) off();
  };
}
