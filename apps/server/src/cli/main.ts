/**
 * `pnpm concord <command>`: the methodologist's and administrator's command line.
 * Exit codes: 0 ok, 1 failure, 2 bad input (usage, malformed files).
 */
import { runReliabilityCli } from '@concord/reliability/cli';

const USAGE = `usage: pnpm concord <command>
  reliability FILE [options]   agreement coefficients for a CSV of codes (see --help)
  user create --email E [--name N] [--owner] [--password-stdin]
  user reset-password --email E [--password-stdin]
  backup FILE                  a consistent backup of the configured database (gzip'd JSON lines)
  restore FILE [--force]       replaces the configured database with a backup's contents
  mail digest                  sends the daily digest now (needs SMTP_URL)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'reliability':
      return runReliabilityCli(rest, {
        stdout: (s) => process.stdout.write(s),
        stderr: (s) => process.stderr.write(s),
      });
    case 'user': {
      const { runUserCli } = await import('./user.ts');
      return runUserCli(rest);
    }
    case 'backup':
    case 'restore': {
      const { runBackupCli } = await import('./backup.ts');
      return runBackupCli(command, rest);
    }
    case 'mail': {
      const { runMailCli } = await import('./mail.ts');
      return runMailCli(rest);
    }
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`concord: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
