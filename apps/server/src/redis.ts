/**
 * Redis connections for scale-out (REDIS_URL). One factory so every user of Redis (the
 * live-document fan-out, the socket.io adapter, the digest lock) gets the same options and the
 * same logging. Without REDIS_URL nothing here is called and one process serves everything:
 * ioredis itself is imported by `loadRedis`, so a single process never loads it (about 2 MB of
 * heap; bench/README.md, "Memory: the Redis modules only with REDIS_URL"; test/api/bundle-imports.test.ts).
 */
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

/**
 * Opens a connection named for its role (shown in `CLIENT LIST`). Synchronous, so a caller
 * attaches its listeners before the connection can emit anything. RESP3 (ioredis's default,
 * stated here because the fan-out relies on it): a subscribed connection may still run other
 * commands, so the live-document fan-out publishes on the connection it subscribes with
 * (collab/fanout.ts); under RESP2 it could run none.
 */
export type ConnectRedis = (url: string, role: string, logger: Logger) => Redis;

/** Imports ioredis (once: later calls get the loaded module) and returns the factory. */
export async function loadRedis(): Promise<ConnectRedis> {
  const { Redis } = await import('ioredis');
  return (url, role, logger) => {
    const redis = new Redis(url, { connectionName: `concord:${role}`, protocol: 3, maxRetriesPerRequest: null, enableAutoPipelining: true });
    let lastError = '';
    redis.on('error', (err: Error) => {
      // ioredis retries on its own; log each distinct failure once instead of every retry.
      if (err.message === lastError) return;
      lastError = err.message;
      logger.error({ err, role }, 'redis connection error');
    });
    redis.on('ready', () => {
      if (lastError) logger.info({ role }, 'redis connection restored');
      lastError = '';
    });
    return redis;
  };
}
