/**
 * The socket.io server at `/socket.io`, on the same http.Server as the API and /yjs, and with
 * REDIS_URL the Redis adapter that carries rooms, emits and fetchSockets across processes (imported
 * only then, as ioredis is: redis.ts).
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Config } from '../config.ts';
import { upgradeOriginRefusal } from '../http/origin.ts';
import type { Logger } from '../logger.ts';
import { loadRedis } from '../redis.ts';
import type { ConcordIo } from './events.ts';

/** Largest inbound socket.io message; our payloads are a few ids. Over it engine.io closes the connection. */
const MAX_MESSAGE_BYTES = 16 * 1024;

export interface ConcordIoServer {
  io: ConcordIo;
  /** Ends the Redis adapter's connections (nothing without Redis); see INTERNALS.md for when. */
  closeAdapter(): Promise<void>;
}

export async function createIo(server: HttpServer, config: Config, logger: Logger): Promise<ConcordIoServer> {
  const io: ConcordIo = new Server(server, {
    path: '/socket.io',
    // Upgrades on other paths (/yjs) belong to our own upgrade listener: engine.io must not close them.
    destroyUpgrade: false,
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // Another site's page may not open a connection with the user's cookie (polling or WebSocket).
    allowRequest: (req, callback) => {
      const refused = upgradeOriginRefusal(req, config) !== null;
      callback(refused ? 'FORBIDDEN_ORIGIN' : null, !refused);
    },
  });
  if (!config.redisUrl) return { io, closeAdapter: async () => {} };

  const [connectRedis, { createAdapter }] = await Promise.all([loadRedis(), import('@socket.io/redis-adapter')]);
  const pub = connectRedis(config.redisUrl, 'socket.io-pub', logger);
  const sub = connectRedis(config.redisUrl, 'socket.io-sub', logger);
  io.adapter(createAdapter(pub, sub, { key: `${config.redisPrefix}:socket.io`, requestsTimeout: 3000 }));
  return {
    io,
    // The subscriber first (INTERNALS.md, "Shutdown").
    async closeAdapter() {
      await sub.quit().catch(() => sub.disconnect());
      await pub.quit().catch(() => pub.disconnect());
    },
  };
}
