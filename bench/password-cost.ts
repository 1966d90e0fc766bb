/**
 * CPU per password hash (and per check: the same scrypt) at the production cost and at the test
 * runs' weak cost (SECURITY.md, "Sessions and tokens"); fixed work, so a loaded host changes it
 * little. `pnpm exec tsx bench/password-cost.ts [hashes]` prints one JSON line.
 */
import { PASSWORD_COST, WEAK_TEST_PASSWORD_COST, hashPassword, verifyPassword, type PasswordCost } from '../apps/server/src/services/auth/password.ts';

const rounds = Number(process.argv[2] ?? 20);

async function cpuMsPerScrypt(cost: PasswordCost): Promise<number> {
  await hashPassword('warm up', cost);
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await verifyPassword('a password', await hashPassword('a password', cost));
  const used = process.cpuUsage(start);
  return Math.round(((used.user + used.system) / 1000 / (2 * rounds)) * 100) / 100;
}

const production = await cpuMsPerScrypt(PASSWORD_COST);
const weak = await cpuMsPerScrypt(WEAK_TEST_PASSWORD_COST);
console.log(JSON.stringify({ bench: 'password-cost', rounds, cpuMsPerScrypt: { production, weak } }));
