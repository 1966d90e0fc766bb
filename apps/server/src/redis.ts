/**
 * Redis connections for scale-out (REDIS_URL). One factory so every user of Redis (the
 * live-document fan-out, the socket.io adapter) gets the same options and the same logging.
 * Without REDIS_URL nothing here is called and one process serves everything.
 */
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

/**
 * A connection named for its role (shown in `CLIENT LIST`). Pub/sub needs its own
 * connections: a subscribed connection can run no other commands.
 */
export function connectRedis(url: string, role: string, logger: Logger): Redis {
  const redis = new Redis(url, { connectionName: `concord:${role}`, maxRetriesPerRequest: null, enableAutoPipelining: true });
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
}
