import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { CodingValue } from '@concord/shared';
import { timestamptz } from './columns.ts';
import { users } from './accounts.ts';
import { codebookVersions, projects } from './projects.ts';
import { items } from './items.ts';

/**
 * Revised codings (issue 13, item 4): in a production round, the values an item's joint
 * session agreed on, stored when an editor ends the session. One row per (item, field), as the
 * joint document (`joint:<item>`) holds one value per field for the whole session. A layer
 * beside the blind codings, which it never touches; an adjudication still wins over it.
 */
export const revisedCodings = pgTable(
  'revised_codings',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    fieldKey: text('field_key').notNull(),
    /** The codebook version the value was checked against when the session ended. */
    codebookVersionId: text('codebook_version_id')
      .notNull()
      .references(() => codebookVersions.id),
    value: jsonb('value').$type<CodingValue>().notNull(),
    /** The joint document's Yjs state vector the value was read at (base64): which of the session's changes it includes. */
    jointVersion: text('joint_version').notNull(),
    /** The editor who ended the session. */
    revisedBy: text('revised_by').references(() => users.id, { onDelete: 'set null' }),
    revisedAt: timestamptz('revised_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.fieldKey] }), index('revised_codings_project_idx').on(t.projectId)],
);

/**
 * A joint session that ended and whose revised codings are not yet written: inserted in the
 * transaction that moves the item out of `joint`, deleted in the one that writes the revisions.
 * The two are separate transactions (the live changes taken before the end are stored between
 * them), so a server that dies in between leaves this row, and the next start finishes it
 * (`services/revisions/pending-revisions.ts`). One row per item: a session ending again before
 * it is finished is the same work.
 */
export const pendingRevisions = pgTable('pending_revisions', {
  itemId: text('item_id')
    .primaryKey()
    .references(() => items.id, { onDelete: 'cascade' }),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' }),
  /** The editor who ended the session: the revisions are theirs when a restart writes them. */
  endedBy: text('ended_by').references(() => users.id, { onDelete: 'set null' }),
  endedAt: timestamptz('ended_at').notNull().defaultNow(),
});
