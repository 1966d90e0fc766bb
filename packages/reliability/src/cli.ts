/**
 * `concord reliability FILE [options]`: agreement coefficients for a CSV of
 * codes. The only Node-specific module of the package (it reads files).
 * Exit codes: 0 ok, 1 unexpected failure, 2 bad input or usage.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseCliArgs, USAGE } from './cli-args.ts';
import { compute, summary } from './cli-compute.ts';
import { ReliabilityError } from './errors.ts';
import type { CsvByteSource } from './byte-window.ts';

export { parseCliArgs, USAGE } from './cli-args.ts';
export type { CliReport } from './cli-compute.ts';

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

function unreadable(file: string, error: unknown): ReliabilityError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ReliabilityError('INVALID_ARGUMENT', `reliability requires a readable FILE, cannot read ${file === '-' ? 'stdin' : file}: ${reason}`);
}

/**
 * Runs `use` on the input: stdin read whole, a file read in pieces as the parser asks (a file
 * read whole costs a page fault per fresh page of its buffer: a sixth of the whole process
 * on a 21 MB file on a loaded host).
 */
function withInput<T>(file: string, use: (input: Uint8Array | CsvByteSource) => T): T {
  if (file === '-') {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(0);
    } catch (error) {
      throw unreadable(file, error);
    }
    return use(bytes);
  }
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const byteLength = fstatSync(fd).size;
    return use({
      byteLength,
      read: (into, offset) => {
        try {
          return readSync(fd, into, offset, into.length - offset, null);
        } catch (error) {
          throw unreadable(file, error);
        }
      },
    });
  } finally {
    closeSync(fd);
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
    const computed = withInput(options.file, (input) => compute(options, input));
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
