/**
 * The run's global setup (vitest.config.ts): at the end, with the workers gone, drops the
 * PostgreSQL test databases whose drop the workers had left running in the background
 * (`@concord/db/testing` drops without waiting) and their unused spare copies.
 */
import { dropLeftoverTestDatabases } from '@concord/db/testing';

export default function setup(): () => Promise<void> {
  return () => dropLeftoverTestDatabases();
}
