/**
 * The project presence list: who has which item open. Computed from the sockets in the
 * project room (`fetchSockets`, which with the Redis adapter asks every process), from
 * each socket's `data.presence`, so it is right across processes without a separate store
 * and never outlives a socket. Only user id, display name and item id go out.
 */
import type { PresenceEntry } from '@concord/shared';
import type { Logger } from '../logger.ts';
import { send, type ConcordIo } from './events.ts';
import { rooms } from './rooms.ts';

/** One entry per (user, item); a user shown on an item is not listed again as "on the project". */
export function presenceList(projectId: string, sockets: { data: { userId: string; displayName: string; presence: Record<string, string | null> } }[]): PresenceEntry[] {
  const entries = new Map<string, PresenceEntry>();
  for (const { data } of sockets) {
    if (!data?.userId) continue;
    const itemId = data.presence?.[projectId] ?? null;
    entries.set(`${data.userId}\u0000${itemId ?? ''}`, { userId: data.userId, displayName: data.displayName, itemId });
  }
  const onItem = new Set([...entries.values()].filter((e) => e.itemId !== null).map((e) => e.userId));
  return [...entries.values()]
    .filter((e) => e.itemId !== null || !onItem.has(e.userId))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId) || (a.itemId ?? '').localeCompare(b.itemId ?? ''));
}

/**
 * Sends each project's list to its room after changes. Recomputations of one project run one
 * after another (never two lists racing out of order from this process), and a burst of
 * changes collapses into one recomputation.
 */
export function createPresence(io: ConcordIo, logger: Logger) {
  const queued = new Map<string, Promise<void>>();
  const dirty = new Set<string>();
  let stopped = false;

  async function broadcast(projectId: string): Promise<void> {
    dirty.delete(projectId);
    const sockets = await io.in(rooms.project(projectId)).fetchSockets();
    if (stopped) return;
    send(io, 'project:presence', { projectId, users: presenceList(projectId, sockets) });
  }

  return {
    /** The project's presence changed: send the new list (soon, once). */
    changed(projectId: string): void {
      if (stopped || dirty.has(projectId)) return;
      dirty.add(projectId);
      const previous = queued.get(projectId) ?? Promise.resolve();
      const next = previous
        .then(() => broadcast(projectId))
        .catch((err: unknown) => logger.warn({ err, projectId }, 'presence broadcast failed'))
        .finally(() => {
          if (queued.get(projectId) === next) queued.delete(projectId);
        });
      queued.set(projectId, next);
    },
    /** Sends nothing more (the server is closing: its Redis connections are about to quit). */
    stop(): void {
      stopped = true;
    },
    /** Resolves when every queued broadcast has been sent. */
    async idle(): Promise<void> {
      while (queued.size) await Promise.all([...queued.values()]);
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
