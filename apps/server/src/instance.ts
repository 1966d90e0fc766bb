/**
 * Start duties: finish what an earlier restore left in CONCORD_ATTACHMENTS_DIR; write the revised
 * codings of joint sessions whose process died before it wrote them; seed the demo
 * study on an empty database, or tell the operator how to create the first owner. Nothing gets
 * a default password.
 */
import type { Deps } from './deps.ts';
import { DEMO_ACCOUNTS } from './demo/accounts.ts';
import { seedDemo } from './demo/seed.ts';
import { settleRestoredFiles } from './ops/restored-files.ts';
import { isDemoSeeded, resetDemoPasswords } from './services/auth/demo-accounts.ts';
import { dummyHash, generatePassword, PASSWORD_COST } from './services/auth/password.ts';
import { countUsers } from './services/auth/users.ts';
import { finishPendingRevisions } from './services/revisions/pending-revisions.ts';

export async function prepareInstance(deps: Deps): Promise<void> {
  const { config, database, logger } = deps;
  const ctx = { db: database.db, actor: null, logger, passwordCost: config.passwordCost };
  // Ready before the first sign-in with an unknown email, which must take as long as any other.
  void dummyHash(config.passwordCost);
  if (config.passwordCost !== PASSWORD_COST) logger.warn({ passwordCost: config.passwordCost }, 'test run: new passwords get weak hashes (CONCORD_TEST_WEAK_PASSWORD_HASHING)');
  if (config.attachments.dir) {
    const settled = await settleRestoredFiles(database.db, config.attachments.dir);
    if (settled.placed.length || settled.removed.length) logger.info({ placed: settled.placed, removed: settled.removed }, "an earlier restore's attachment files settled");
    // The rows point at these files: until they take their names those attachments cannot be read.
    if (settled.failed.length) logger.error({ failed: settled.failed }, 'restored attachment files still cannot take their names; clear what is in the way and restart');
  }
  const revised = await finishPendingRevisions({ ctx: { ...ctx, collab: deps.collab, events: deps.events, metrics: deps.metrics } });
  if (revised.finished.length) logger.info({ itemIds: revised.finished }, 'joint sessions ended before a restart: revised codings written');
  const users = await countUsers({ ctx });
  if (config.demo.enabled) {
    if (users === 0) {
      const password = config.demo.password ?? generatePassword();
      const started = performance.now();
      await seedDemo(database.db, logger, password, { collab: deps.collab, passwordCost: config.passwordCost });
      logger.info({ ms: Math.round(performance.now() - started) }, 'demo study seeded');
      process.stdout.write(
        `\nDemo study ready. Sign in as ${DEMO_ACCOUNTS.map((a) => a.email).join(', ')}\n` +
          `with the password: ${password}${config.demo.password ? ' (from CONCORD_DEMO_PASSWORD)' : ''}\n\n`,
      );
    } else if (config.demo.password && (await isDemoSeeded({ ctx }))) {
      await resetDemoPasswords({ ctx, password: config.demo.password });
      logger.info('demo account passwords set from CONCORD_DEMO_PASSWORD');
    } else if (await isDemoSeeded({ ctx })) {
      process.stdout.write('\nDemo accounts: the password was printed at first start; set CONCORD_DEMO_PASSWORD to choose a new one.\n\n');
    }
    return;
  }
  if (users === 0) {
    process.stdout.write(
      '\nNo account exists yet. Create the first owner in the browser at /setup,\n' +
        'or run: pnpm concord user create --email you@example.org --owner\n\n',
    );
  }
}
