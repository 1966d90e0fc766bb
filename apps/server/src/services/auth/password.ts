/**
 * scrypt password hashes (RFC 7914), stored as `scrypt$N$r$p$salt$hash` (base64url)
 * so the cost can rise later without breaking existing hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** scrypt's work factors; a hash records the ones it was made with, and is verified with those. */
export interface PasswordCost {
  N: number;
  r: number;
  p: number;
}

/** What every password is hashed with (about 0.09 s of CPU per hash on the reference host). */
export const PASSWORD_COST: PasswordCost = { N: 2 ** 15, r: 8, p: 1 };

/**
 * Test runs only (config.ts `CONCORD_TEST_WEAK_PASSWORD_HASHING`, refused unless NODE_ENV=test;
 * SECURITY.md): the test suite makes hundreds of accounts, and at the real cost their hashing
 * was about 20 s of the suite's CPU. Such hashes are worthless against a stolen database.
 */
export const WEAK_TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 4, r: 8, p: 1 };

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `cost`: the configured one (`ctx.passwordCost`), the production cost unless a test run set it. */
export async function hashPassword(password: string, cost: PasswordCost = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const dummyHashes = new Map<PasswordCost, Promise<string>>();

/**
 * A hash of a random password at `cost`, compared against when the email is unknown, so timing
 * does not reveal accounts. Made once per cost, at the server's start (instance.ts), not when
 * this module is imported: the command line never needs it, and a test run's is weak.
 */
export function dummyHash(cost: PasswordCost = PASSWORD_COST): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) dummyHashes.set(cost, (hash = hashPassword(randomBytes(16).toString('hex'), cost)));
  return hash;
}

/** The stored hash of an account without a password (pending): no scheme, so no password verifies. */
export const NO_PASSWORD = 'none';

/** A readable random password (about 95 bits): generated ones must be changed at first sign-in. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').match(/.{4}/g)!.join('-');
}
