import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/**
 * What an error may put in the logs: its type, codes, names and stack frames, never a value.
 * A failed query's error carries its parameters (titles, comments, coded values) and
 * PostgreSQL's messages and details quote the offending value, so both are left out.
 */
export function loggableError(err: unknown, depth = 0): Record<string, unknown> | string {
  if (!(err instanceof Error)) return typeof err;
  const e = err as Error & Record<string, unknown>;
  const frames = (e.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  const out: Record<string, unknown> = { type: e.name, stack: frames.join('\n') };
  const fromDatabase = typeof e.code === 'string' && typeof e.severity === 'string';
  if (fromDatabase) {
    for (const key of ['code', 'severity', 'routine', 'table', 'column', 'constraint']) if (typeof e[key] === 'string') out[key] = e[key];
  } else if (typeof e.query === 'string') {
    // A query error: the SQL (placeholders only) without its parameters.
    out.query = e.query;
  } else {
    out.message = e.message;
    if (typeof e.code === 'string') out.code = e.code;
  }
  if (e.cause !== undefined && depth < 3) out.cause = loggableError(e.cause, depth + 1);
  return out;
}

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, base: { service: 'concord' }, serializers: { err: loggableError } };
  return destination ? pino(options, destination) : pino(options);
}
