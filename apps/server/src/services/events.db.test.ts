import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDatabase } from '@concord/db/testing';
import { testConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { inTransaction, type ServiceContext } from './context.ts';
import { createDomainEvents, type DomainEvent } from './events.ts';

const event = (userId: string): DomainEvent => ({ type: 'member.accessChanged', projectId: 'prj_test', userId });

describe('domain events and transactions', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDb();
  }, 300_000);
  afterAll(async () => {
    await database?.close();
  });

  function setup() {
    const logger = createLogger(testConfig());
    const events = createDomainEvents(logger);
    const received: DomainEvent[] = [];
    events.subscribe((e) => void received.push(e));
    const ctx: ServiceContext = { db: database.db, actor: null, logger, events };
    return { events, received, ctx };
  }

  it('delivers events published in a transaction only after it commits, in order', async () => {
    const { events, received, ctx } = setup();
    await inTransaction(ctx, async (tx) => {
      tx.events?.publish(event('usr_a'));
      await inTransaction(tx, async (inner) => inner.events?.publish(event('usr_b')));
      await events.idle();
      // Nothing is out while the outer transaction is open, not even the inner one's event.
      expect(received).toEqual([]);
    });
    await events.idle();
    expect(received).toEqual([event('usr_a'), event('usr_b')]);
  });

  it('drops the events of a transaction that rolls back', async () => {
    const { events, received, ctx } = setup();
    await expect(
      inTransaction(ctx, async (tx) => {
        tx.events?.publish(event('usr_c'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await events.idle();
    expect(received).toEqual([]);
  });

  it('keeps a failing subscriber from failing the publisher or the other subscribers', async () => {
    const { events, received } = setup();
    events.subscribe(() => {
      throw new Error('subscriber bug');
    });
    expect(() => events.publish(event('usr_d'))).not.toThrow();
    await events.idle();
    expect(received).toEqual([event('usr_d')]);
  });
});
