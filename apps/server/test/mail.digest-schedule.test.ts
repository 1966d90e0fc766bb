/**
 * The digest's daily job: when it next runs, and that with several processes on one Redis
 * exactly one of them sends a day's digest (the `SET NX` lock in digest-schedule.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msUntilNextRun, startDigestSchedule, type DigestSchedule } from '../src/services/mail/digest-schedule.ts';
import { createHarness, type Harness } from './harness.ts';
import { revealedDisagreement } from './mail-fixtures.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { reachableRedis } from './testing.ts';

describe('msUntilNextRun', () => {
  it('waits for the next 06:00 UTC, today or tomorrow', () => {
    expect(msUntilNextRun(new Date('2026-03-01T05:00:00Z'))).toBe(3600_000);
    expect(msUntilNextRun(new Date('2026-03-01T06:00:00Z'))).toBe(24 * 3600_000);
    expect(msUntilNextRun(new Date('2026-12-31T23:30:00Z'))).toBe(6.5 * 3600_000);
  });
});

const REDIS_URL = await reachableRedis(process.env, 'mail.digest-schedule.test.ts (the digest lock on Redis)');

describe.skipIf(!REDIS_URL)('the daily digest on several processes', () => {
  let smtp: TestSmtp;
  let h: Harness;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    h = await createHarness({ smtp: { url: smtp.url, from: 'concord@test.concord' }, publicUrl: 'http://concord.test' });
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  it('is sent by exactly one of three processes sharing Redis, once per day', async () => {
    const { team } = await revealedDisagreement(h);
    const redis = { url: REDIS_URL!, prefix: `concord-test-${process.pid}-${Date.now()}` };
    const processes: DigestSchedule[] = await Promise.all(
      [1, 2, 3].map(() => startDigestSchedule({ ctx: h.ctx(null), mailer: h.deps.mailer, logger: h.deps.logger, redis })),
    );
    try {
      const day = new Date().toISOString().slice(0, 10);
      const took = await Promise.all(processes.map((p) => p.runDay(day)));
      expect(took.filter(Boolean)).toHaveLength(1);
      expect(smtp.to(team.editor.email)).toHaveLength(1);
      expect(smtp.to(team.owner.email)).toHaveLength(1);
      // The same day again (a restarted process): nobody sends.
      expect(await processes[0]!.runDay(day)).toBe(false);
      expect(smtp.to(team.editor.email)).toHaveLength(1);
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
    }
  });
});
