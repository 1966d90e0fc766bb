/**
 * Loading a room, and re-reading it after a Redis reconnect. The document's channels are
 * subscribed, and the other processes that have it open know of this one (fanout.ts `join`),
 * before the stored state is read: what other processes publish during the load
 * is kept and applied after it (Yjs updates are idempotent), so nothing falls in between.
 */
import type { DocName } from '@concord/shared';
import type { DocMessage } from './fanout.ts';
import { Room, type RoomEnv } from './room.ts';

export async function loadRoom(name: string, target: DocName, env: RoomEnv): Promise<Room> {
  const room = new Room(name, target, env, await env.itemPhase(target.itemId));
  let early: DocMessage[] | null = [];
  room.attach(await env.fanout.openDoc(name, (message) => (early ? early.push(message) : room.receive(message))));
  try {
    room.applyStored(await env.persistence.onLoadDocument(name, target), 'load');
  } catch (err) {
    room.destroy();
    throw err;
  }
  for (const message of early) room.receive(message);
  early = null;
  room.hello();
  return room;
}

/**
 * After a Redis reconnect: updates published meanwhile were lost, so the stored state is
 * applied again (only what this process lacks changes anything and is relayed), and the
 * other processes are asked for their presence.
 */
export async function reloadRoom(room: Room, env: Pick<RoomEnv, 'persistence'>): Promise<void> {
  if (room.isBroken) return;
  const stored = await env.persistence.onReloadDocument(room.name);
  if (room.isBroken) return;
  room.applyStored(stored, 'resync');
  room.hello();
}
