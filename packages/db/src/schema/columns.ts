import { timestamp } from 'drizzle-orm/pg-core';

/** Timestamps are always with time zone, stored in UTC. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

