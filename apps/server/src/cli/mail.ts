/**
 * `concord mail digest`: sends the daily digest now, with the configured database and
 * SMTP_URL (the same run as the daily job and `POST /api/admin/mail/digest`). Prints the
 * counts as JSON. Exit codes: 0 sent (or nothing to send), 1 some mail failed or SMTP_URL is unset, 2 usage.
 */
import { createDb, migrate } from '@concord/db';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { noopMetrics } from '../metrics.ts';
import { sendDigests } from '../services/mail/digest.ts';
import { createMailer } from '../services/mail/transport.ts';

const USAGE = 'usage: pnpm concord mail digest\n';

export async function runMailCli(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0] !== 'digest') {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = { ...loadConfig(), logLevel: 'warn' as const };
  if (!config.smtp) {
    process.stderr.write('concord mail digest: SMTP_URL is not set, so no mail can be sent\n');
    return 1;
  }
  const logger = createLogger(config);
  const database = await createDb(config.database);
  const mailer = createMailer(config, logger, noopMetrics);
  try {
    await migrate(database);
    const run = await sendDigests({ ctx: { db: database.db, actor: null, logger }, mailer });
    process.stdout.write(`${JSON.stringify(run)}\n`);
    return run.failed ? 1 : 0;
  } finally {
    mailer.close();
    await database.close();
  }
}
