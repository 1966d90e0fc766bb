/**
 * `concord user create --email E [--name N] [--owner] [--password-stdin]`: creates an account
 * on the configured database. `concord user reset-password --email E [--password-stdin]`: sets
 * a new password and ends the account's sessions. Without --password-stdin a password is
 * generated and printed once, and the account must change it before anything else.
 */
import { parseArgs } from 'node:util';
import { emailSchema, passwordSchema } from '@concord/shared';
import { createDb, migrate } from '@concord/db';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { generatePassword } from '../services/auth/password.ts';
import { resetPassword } from '../services/auth/reset-password.ts';
import { insertUser } from '../services/auth/users.ts';

const USAGE = 'usage: pnpm concord user create --email E [--name N] [--owner] [--password-stdin]\n       pnpm concord user reset-password --email E [--password-stdin]\n';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

export async function runUserCli(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create' && sub !== 'reset-password') {
    process.stderr.write(USAGE);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, name: { type: 'string' }, owner: { type: 'boolean', default: false }, 'password-stdin': { type: 'boolean', default: false } },
    }));
  } catch (err) {
    process.stderr.write(`concord user ${sub}: ${(err as Error).message}\n`);
    return 2;
  }
  const email = emailSchema.safeParse(values.email ?? '');
  if (!email.success) {
    process.stderr.write(`concord user ${sub}: --email must be an email address\n`);
    return 2;
  }
  const password = values['password-stdin'] ? await readStdin() : generatePassword();
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) {
    process.stderr.write(`concord user ${sub}: the password ${checked.error.issues[0]?.message}\n`);
    return 2;
  }
  const config = { ...loadConfig(), logLevel: 'warn' as const };
  // Only the database: no live documents, no Redis, nothing a one-shot command would have to close.
  const database = await createDb(config.database);
  await migrate(database);
  const ctx = { db: database.db, actor: null, logger: createLogger(config), passwordCost: config.passwordCost };
  // A generated password has been on the operator's screen: the account must replace it.
  const mustChangePassword = !values['password-stdin'];
  try {
    if (sub === 'create') {
      const user = await insertUser({ ctx, input: { email: email.data, name: values.name ?? email.data.split('@')[0]!, password, isAdmin: values.owner, mustChangePassword } });
      process.stdout.write(`created ${user.email} (${user.id})${values.owner ? ' as instance owner' : ''}\n`);
    } else {
      await resetPassword({ ctx, input: { email: email.data, password, mustChangePassword } });
      process.stdout.write(`reset the password of ${email.data}; its sessions ended\n`);
    }
    if (mustChangePassword) process.stdout.write(`password: ${password} (to be changed at first sign-in)\n`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`concord user ${sub}: ${err.message}\n`);
      return err.code === 'CONFLICT' || err.code === 'NOT_FOUND' ? 2 : 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}
