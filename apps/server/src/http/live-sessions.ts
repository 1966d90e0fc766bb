/**
 * Live connections by the session that opened them, so that ending a session closes them,
 * on every process. Both sockets track their connections here (after socket-auth.ts).
 * - `sessionsEnded` (logout, password change, removal) closes this process's connections of
 *   those sessions and sends the same to the other processes over the fan-out's Redis control
 *   channel, resolving once each acknowledged (as member removal does for documents).
 * - Expiry: each tracked session is closed at its expiry time.
 * - Sessions ended where no server hears it (the CLI, a deleted user): every RECHECK_MS the
 *   tracked sessions are looked up, and connections of the ones gone are closed.
 */
import type { Db } from '@concord/db';
import type { ControlMessage, Fanout } from '../collab/fanout.ts';
import type { Logger } from '../logger.ts';
import { liveSessionIds, type SessionInfo } from '../services/auth/sessions.ts';
import type { LiveSessionsPort } from '../services/context.ts';

export const SESSION_RECHECK_MS = 60_000;
/** setTimeout's largest delay; a later expiry is left to the periodic check. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Closes one live connection; `reason` is for the client. */
export type CloseConnection = (reason: string) => void;

export interface LiveSessions extends LiveSessionsPort {
  /** Tracks a connection of a session; returns the function that forgets it (call it when the connection closes). */
  track(session: SessionInfo, close: CloseConnection): () => void;
  /** Looks up every tracked session now and closes the connections of those that ended. */
  recheck(): Promise<void>;
  stop(): void;
}

interface Tracked {
  closers: Set<CloseConnection>;
  expiry: NodeJS.Timeout | null;
}

export function createLiveSessions(options: { db: Db; logger: Logger; fanout: Fanout; recheckMs?: number }): LiveSessions {
  const { db, logger, fanout } = options;
  const tracked = new Map<string, Tracked>();

  function closeLocal(ids: readonly string[], reason: string): void {
    for (const id of ids) {
      const entry = tracked.get(id);
      if (!entry) continue;
      tracked.delete(id);
      if (entry.expiry) clearTimeout(entry.expiry);
      for (const close of entry.closers) close(reason);
    }
  }

  fanout.onControl(async (message: ControlMessage) => {
    if (message.type === 'sessionsEnded') closeLocal(message.sessionIds, 'the session ended');
  });

  async function recheck(): Promise<void> {
    const ids = [...tracked.keys()];
    if (ids.length === 0) return;
    const alive = await liveSessionIds({ ctx: { db }, ids });
    closeLocal(
      ids.filter((id) => !alive.has(id)),
      'the session ended',
    );
  }

  const interval = setInterval(() => {
    recheck().catch((err: unknown) => logger.error({ err }, 'live sessions could not be re-checked'));
  }, options.recheckMs ?? SESSION_RECHECK_MS);
  interval.unref();

  return {
    track(session, close) {
      let entry = tracked.get(session.id);
      if (!entry) {
        const delay = session.expiresAt.getTime() - Date.now();
        const expiry = delay <= MAX_TIMER_MS ? setTimeout(() => closeLocal([session.id], 'the session expired'), Math.max(0, delay)) : null;
        expiry?.unref();
        entry = { closers: new Set(), expiry };
        tracked.set(session.id, entry);
      }
      const closers = entry.closers;
      closers.add(close);
      return () => {
        closers.delete(close);
        const current = tracked.get(session.id);
        if (current?.closers.size === 0) {
          if (current.expiry) clearTimeout(current.expiry);
          tracked.delete(session.id);
        }
      };
    },

    async sessionsEnded(sessionIds) {
      if (sessionIds.length === 0) return;
      closeLocal(sessionIds, 'the session ended');
      await fanout.broadcast({ type: 'sessionsEnded', sessionIds });
    },

    recheck,

    stop() {
      clearInterval(interval);
      for (const entry of tracked.values()) if (entry.expiry) clearTimeout(entry.expiry);
    },
  };
}
