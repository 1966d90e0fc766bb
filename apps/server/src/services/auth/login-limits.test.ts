import { describe, expect, it } from 'vitest';
import { createLoginLimits } from './login-limits.ts';

const WINDOW = 1000;

function limits() {
  const clock = { now: 0 };
  const l = createLoginLimits({ perAccount: 3, perAddress: 5, windowMs: WINDOW, knownAddressMs: 10 * WINDOW, now: () => clock.now });
  return { l, clock };
}

describe('createLoginLimits', () => {
  it('locks an account guessed from many addresses, and lifts the lock when the window has passed', () => {
    const { l, clock } = limits();
    for (let i = 0; i < 3; i++) l.fail('a@x.org', `203.0.113.${i}`);
    expect(() => l.check('a@x.org', '198.51.100.1')).toThrow(/too many failed sign-ins/);
    expect(() => l.check('b@x.org', '198.51.100.1')).not.toThrow();
    clock.now = WINDOW + 1;
    expect(() => l.check('a@x.org', '198.51.100.1')).not.toThrow();
  });

  it('locks an address guessing many accounts', () => {
    const { l } = limits();
    for (let i = 0; i < 5; i++) l.fail(`user${i}@x.org`, '203.0.113.9');
    expect(() => l.check('someone@x.org', '203.0.113.9')).toThrow(/too many failed sign-ins/);
    expect(() => l.check('someone@x.org', '203.0.113.10')).not.toThrow();
  });

  it('keeps the account open at an address it signed in from; only that address failing closes it there', () => {
    const { l } = limits();
    l.succeed('a@x.org', '192.0.2.10');
    for (let i = 0; i < 10; i++) l.fail('a@x.org', `203.0.113.${i}`);
    expect(() => l.check('a@x.org', '203.0.113.99')).toThrow();
    expect(() => l.check('a@x.org', '192.0.2.10')).not.toThrow();
    for (let i = 0; i < 3; i++) l.fail('a@x.org', '192.0.2.10');
    expect(() => l.check('a@x.org', '192.0.2.10')).toThrow();
  });

  it('forgets a known address after its time', () => {
    const { l, clock } = limits();
    l.succeed('a@x.org', '192.0.2.10');
    clock.now = 10 * WINDOW + 1;
    for (let i = 0; i < 3; i++) l.fail('a@x.org', `203.0.113.${i}`);
    expect(() => l.check('a@x.org', '192.0.2.10')).toThrow();
  });
});
