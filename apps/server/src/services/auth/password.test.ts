import { describe, expect, it } from 'vitest';
import { dummyHash, generatePassword, hashPassword, verifyPassword, WEAK_TEST_PASSWORD_COST } from './password.ts';

describe('scrypt passwords', () => {
  it('verifies the right password only, with a fresh salt per hash', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterx', a)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });

  it('makes the unknown-email hash once per cost, at that cost (production by default)', async () => {
    expect(dummyHash(WEAK_TEST_PASSWORD_COST)).toBe(dummyHash(WEAK_TEST_PASSWORD_COST));
    expect(await dummyHash(WEAK_TEST_PASSWORD_COST)).toMatch(/^scrypt\$16\$8\$1\$/);
    expect(await dummyHash()).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('', await dummyHash())).toBe(false);
  });

  it('generates readable passwords long enough for the password rules', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    expect(new Set(Array.from({ length: 50 }, generatePassword)).size).toBe(50);
  });
});
