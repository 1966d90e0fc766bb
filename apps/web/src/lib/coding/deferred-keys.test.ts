import { describe, expect, it } from 'vitest';
import { DeferredKeys } from './deferred-keys.ts';
import type { CodingKeyActions, CodingKeys } from './keys.ts';

const key = (k: string) => ({ key: k }) as KeyboardEvent;

/** A stand-in for keys.ts's class that records what it is handed (the real one needs a page). */
function recordingKeys() {
  const seen: { key: string; actions: string }[] = [];
  let made = 0;
  class Recording {
    constructor() {
      made++;
    }
    onKey(event: KeyboardEvent, actions: CodingKeyActions) {
      seen.push({ key: event.key, actions: (actions as unknown as { tag: string }).tag });
    }
    cancel() {}
  }
  return { seen, made: () => made, Keys: Recording as unknown as new () => CodingKeys };
}

const actionsTagged = (tag: () => string) => () => ({ tag: tag() }) as unknown as CodingKeyActions;

describe('DeferredKeys', () => {
  it('keeps keys pressed before the code arrives and hands them over in order, with the actions of that moment', async () => {
    const { seen, made, Keys } = recordingKeys();
    let resolve!: (k: typeof Keys) => void;
    const loading = new Promise<typeof Keys>((r) => (resolve = r));
    let loads = 0;
    const keys = new DeferredKeys(() => (loads++, loading));
    let state = 'before';
    const actions = actionsTagged(() => state);

    for (const k of ['2', '1', 'n']) keys.onKey(key(k), actions);
    expect(seen).toEqual([]);
    expect(loads).toBe(1);

    state = 'after';
    resolve(Keys);
    await loading;
    await Promise.resolve();
    expect(seen).toEqual([
      { key: '2', actions: 'after' },
      { key: '1', actions: 'after' },
      { key: 'n', actions: 'after' },
    ]);

    keys.onKey(key('j'), actions);
    expect(seen.at(-1)).toEqual({ key: 'j', actions: 'after' });
    expect(made()).toBe(1);
  });

  it('drops the kept keys when the code cannot load, and the next key tries again', async () => {
    const { seen, Keys } = recordingKeys();
    let attempt = 0;
    const keys = new DeferredKeys(() => (++attempt === 1 ? Promise.reject(new Error('offline')) : Keys));
    const actions = actionsTagged(() => 'now');

    keys.onKey(key('1'), actions);
    keys.onKey(key('2'), actions);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);

    keys.onKey(key('3'), actions);
    await new Promise((r) => setTimeout(r, 0));
    expect(attempt).toBe(2);
    expect(seen).toEqual([{ key: '3', actions: 'now' }]);
  });
});
