import { integer, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';
import { users } from './accounts.ts';
import { projects } from './projects.ts';

/**
 * Coder pseudonyms (C1, C2…) per project, the names exports and reports use. A row is
 * written once and never renumbered, so a coder keeps her pseudonym across exports, role
 * changes and removal from the project; only the owner downloads the key.
 */
export const coderPseudonyms = pgTable(
  'coder_pseudonyms',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** n of `Cn`: 1, 2, … in the order of the coders' first coding in the project. */
    number: integer('number').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), unique('coder_pseudonyms_number_uq').on(t.projectId, t.number)],
);
