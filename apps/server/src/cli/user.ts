/**
 * `concord user create --email E [--name N] [--owner] [--password-stdin]`:
 * creates an account on the configured database. Without --password-stdin a
 * password is generated and printed once.
 */
import { parseArgs } from 'node:util';
import { emailSchema, passwordSchema } from '@concord/shared';
import { createDb, migrate } from '@concord/db';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { generatePassword } from '../services/auth/password.ts';
import { insertUser } from '../services/auth/users.ts';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

export async function runUserCli(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') {
    process.stderr.write('usage: pnpm concord user create --email E [--name N] [--owner] [--password-stdin]\n');
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, name: { type: 'string' }, owner: { type: 'boolean', default: false }, 'password-stdin': { type: 'boolean', default: false } },
    }));
  } catch (err) {
    process.stderr.write(`concord user create: ${(err as Error).message}\n`);
    return 2;
  }
  const email = emailSchema.safeParse(values.email ?? '');
  if (!email.success) {
    process.stderr.write('concord user create: --email must be an email address\n');
    return 2;
  }
  const password = values['password-stdin'] ? await readStdin() : generatePassword();
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) {
    process.stderr.write(`concord user create: the password ${checked.error.issues[0]?.message}\n`);
    return 2;
  }
  const config = { ...loadConfig(), logLevel: 'warn' as const };
  // Only the database: no live documents, no Redis, nothing a one-shot command would have to close.
  const database = await createDb(config.database);
  await migrate(database);
  try {
    const user = await insertUser(
      { db: database.db, actor: null, logger: createLogger(config) },
      { email: email.data, name: values.name ?? email.data.split('@')[0]!, password, isAdmin: values.owner },
    );
    process.stdout.write(`created ${user.email} (${user.id})${values.owner ? ' as instance owner' : ''}\n`);
    if (!values['password-stdin']) process.stdout.write(`password: ${password}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`concord user create: ${err.message}\n`);
      return err.code === 'CONFLICT' ? 2 : 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}
