/**
 * The digest's daily run. Every server process keeps the timer; with REDIS_URL (several
 * processes) the run of a day belongs to whoever first sets that day's key in Redis
 * (`SET NX`), so exactly one process sends it. Without Redis there is one process.
 * `POST /api/admin/mail/digest` and `pnpm concord mail digest` run it at once instead.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';
import { loadRedis } from '../../redis.ts';
import type { ServiceContext } from '../context.ts';
import { sendDigests } from './digest.ts';
import type { Mailer } from './transport.ts';

/** 06:00 UTC: before the working day in Europe and Central Asia, the Civic Media Observatory's regions. */
export const DIGEST_HOUR_UTC = 6;
/** Longer than any run, shorter than a day: a process restarted the same morning does not send again. */
const LOCK_TTL_SECONDS = 12 * 3600;

export interface DigestSchedule {
  /**
   * The daily job for `day` (YYYY-MM-DD), as the timer runs it: true when this process took the
   * day (and sent), false when another had it. Exposed for tests of the lock.
   */
  runDay(day: string): Promise<boolean>;
  stop(): Promise<void>;
}

export function msUntilNextRun(now: Date, hourUtc = DIGEST_HOUR_UTC): number {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}

/** Async only to import ioredis when there is Redis (redis.ts). */
export async function startDigestSchedule(deps: { ctx: ServiceContext; mailer: Mailer; logger: Logger; redis: { url: string; prefix: string } | null }): Promise<DigestSchedule> {
  if (!deps.mailer.enabled) return { runDay: () => Promise.resolve(false), stop: () => Promise.resolve() };
  const redis: Redis | null = deps.redis ? (await loadRedis())(deps.redis.url, 'mail-digest', deps.logger) : null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const runDay = async (day: string) => {
    if (redis) {
      const won = await redis.set(`${deps.redis!.prefix}:mail:digest:${day}`, '1', 'EX', LOCK_TTL_SECONDS, 'NX');
      if (won !== 'OK') return false; // another process sends this day's digest
    }
    const result = await sendDigests({ ctx: deps.ctx, mailer: deps.mailer });
    deps.logger.info({ day, ...result }, 'daily digest sent');
    return true;
  };
  const schedule = () => {
    timer = setTimeout(() => {
      const day = new Date().toISOString().slice(0, 10);
      running = runDay(day).then(
        () => {},
        (err: unknown) => deps.logger.error({ err, day }, 'daily digest failed'),
      );
      schedule();
    }, msUntilNextRun(new Date()));
    timer.unref();
  };
  schedule();
  return {
    runDay,
    async stop() {
      if (timer) clearTimeout(timer);
      await running;
      redis?.disconnect();
    },
  };
}
