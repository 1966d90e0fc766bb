/**
 * `concord reliability FILE [options]`: agreement coefficients for a CSV of
 * codes. The only Node-specific module of the package (it reads files).
 * Exit codes: 0 ok, 1 unexpected failure, 2 bad input or usage.
 */
import { readFileSync } from 'node:fs';
import { parseCliArgs, USAGE } from './cli-args.ts';
import { compute, summary } from './cli-compute.ts';
import { ReliabilityError } from './errors.ts';

export { parseCliArgs, USAGE } from './cli-args.ts';
export type { CliReport } from './cli-compute.ts';

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReliabilityError('INVALID_ARGUMENT', `reliability requires a readable FILE, cannot read ${file === '-' ? 'stdin' : file}: ${reason}`);
  }
}

/** Runs the CLI; returns the exit code. */
export async function runReliabilityCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const options = parseCliArgs(argv);
    if (options.help) {
      io.stdout(USAGE);
      return 0;
    }
    const computed = compute(options, readInput(options.file));
    io.stdout(options.json ? `${JSON.stringify(computed.report)}\n` : summary(computed));
    return 0;
  } catch (error) {
    if (error instanceof ReliabilityError) {
      const usage = error.code === 'UNKNOWN_OPTION' || error.code === 'INVALID_OPTION' ? `\n${USAGE}` : '\n';
      io.stderr(`concord reliability: ${error.message}${usage}`);
      return 2;
    }
    io.stderr(`concord reliability: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
