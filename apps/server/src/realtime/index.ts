/**
 * socket.io project rooms at `/socket.io`: the server and Redis adapter (io.ts), each socket's
 * handshake and client events (connection.ts), presence lists (presence.ts), and domain events
 * mapped to emits (events.ts; who receives what is decided by authz `audienceOf`).
 */
import type { Server as HttpServer } from 'node:http';
import type { Deps } from '../deps.ts';
import type { ServiceContext } from '../services/context.ts';
import { attachConnections } from './connection.ts';
import { deliver, type ConcordIo } from './events.ts';
import { createIo } from './io.ts';
import { createPresence } from './presence.ts';

export interface Realtime {
  io: ConcordIo;
  /** Resolves when delivered events and presence broadcasts queued so far are sent (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function createRealtime(server: HttpServer, deps: Deps): Promise<Realtime> {
  const { logger, config } = deps;
  const { io, closeAdapter } = await createIo(server, config, logger);
  const serverCtx: ServiceContext = { db: deps.database.db, actor: null, logger, collab: deps.collab };
  const presence = createPresence(io, logger);
  attachConnections(io, deps, serverCtx, presence);

  const pending = new Set<Promise<void>>();
  const unsubscribe = deps.events.subscribe((event) => {
    const run = deliver({ io, ctx: serverCtx, logger, onMemberLeft: (projectId) => presence.changed(projectId) }, event).finally(() => pending.delete(run));
    pending.add(run);
    return run;
  });

  return {
    io,
    async idle() {
      await deps.events.idle();
      while (pending.size) await Promise.all([...pending]);
      await presence.idle();
    },
    // The order matters: INTERNALS.md, "Shutdown".
    async close() {
      unsubscribe();
      io.local.disconnectSockets(true);
      io.engine.close();
      while (pending.size) await Promise.allSettled([...pending]);
      await presence.idle();
      presence.stop();
      await presence.idle();
      await closeAdapter();
    },
  };
}
