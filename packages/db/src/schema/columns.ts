import { customType, timestamp } from 'drizzle-orm/pg-core';

/** Timestamps are always with time zone, stored in UTC. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Binary column. postgres.js returns Buffer and PGlite Uint8Array: both come out as a
 * plain Uint8Array (Yjs compares constructors), and go in as Buffer, which both accept.
 */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => (value.constructor === Uint8Array ? value : new Uint8Array(value)),
});
