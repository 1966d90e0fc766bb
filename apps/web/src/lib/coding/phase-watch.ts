/**
 * Follows the phase of the item shown: `item:phase` over the project's socket.io room, and as a
 * fallback for a socket that is down or refused, a look every 20 s while the page is visible
 * (and whenever it becomes visible). `onChange` runs when the phase differs from the one shown.
 * Also an editor reopening the coder's own submission (`onReopened`).
 */
import type { Phase } from '@concord/shared';
import { api, unwrap } from '$lib/api.ts';
import { liveRefresh } from '$lib/live.ts';
import { onProjectEvent } from '$lib/realtime.ts';

export const PHASE_POLL_MS = 20_000;

export interface PhaseWatch {
  origin: string;
  projectId: string;
  itemId: string;
  /** The phase shown. */
  phase: Phase;
  onChange: () => void;
}

/** Live phase changes from the project's socket.io room; returns the way to stop. */
export function onPhaseEvent(watch: PhaseWatch): () => void {
  return onProjectEvent(watch.projectId, 'item:phase', (e) => {
    if (e.itemId === watch.itemId && e.phase !== watch.phase) watch.onChange();
  });
}

/** Re-reads the item every PHASE_POLL_MS while visible and on becoming visible; returns the way to stop. */
export function pollPhase(watch: PhaseWatch): () => void {
  const check = () => {
    if (document.visibilityState !== 'visible') return;
    const param = { projectId: watch.projectId, itemId: watch.itemId };
    unwrap(api(watch.origin).api.projects[':projectId'].items[':itemId'].$get({ param }))
      .then((fresh) => {
        if (fresh.phase !== watch.phase) watch.onChange();
      })
      .catch(() => {});
  };
  const timer = setInterval(check, PHASE_POLL_MS);
  document.addEventListener('visibilitychange', check);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', check);
  };
}

/**
 * An editor reopening the submission shown. The reopen sends `codings:changed`, which carries no
 * ids: while the coder's own assignment is submitted, each burst of those events (debounced)
 * looks at it again, and `onChange` runs once it is open again. Returns the way to stop.
 */
export function onReopened(watch: { origin: string; projectId: string; itemId: string; coderId: string; submitted: boolean; onChange: () => void }): () => void {
  if (!watch.submitted) return () => {};
  return liveRefresh(watch.projectId, ['codings:changed'], () => {
    const query = { item: watch.itemId };
    unwrap(api(watch.origin).api.projects[':projectId'].assignments.$get({ param: { projectId: watch.projectId }, query }))
      .then((list) => {
        if (list.some((a) => a.coderId === watch.coderId && a.submittedAt === null)) watch.onChange();
      })
      .catch(() => {});
  });
}
