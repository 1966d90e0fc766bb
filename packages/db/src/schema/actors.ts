import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { ActorKind } from '@concord/shared';
import { timestamptz } from './columns.ts';
import { users } from './accounts.ts';
import { projects } from './projects.ts';

/**
 * A project's actors (sources, speakers, outlets), the records a `link` field codes. Rows are
 * never removed once made: a merged actor points at the one it went into (`merged_into`) and a
 * deleted one keeps its row (`deleted_at`), so every value that names it still resolves.
 */
export const actors = pgTable(
  'actors',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind').$type<ActorKind>(),
    affiliation: text('affiliation'),
    stance: text('stance'),
    notes: text('notes').notNull().default(''),
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    /** The actor this one was merged into (a duplicate); its codings were moved there. */
    mergedInto: text('merged_into'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    /**
     * Set when someone created it while coding this item (create-on-the-fly): it is then part of
     * her codes, so nobody else sees it while the item is independent (SECURITY.md, rule 1). No
     * foreign key: a purged item leaves the actor visible, not gone.
     */
    createdOnItem: text('created_on_item'),
    deletedAt: timestamptz('deleted_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('actors_project_idx').on(t.projectId),
    // Names are unique among the listed actors everyone sees; ones made on the fly may repeat
    // a name (refusing them would tell a coder that someone else made it) until merged.
    uniqueIndex('actors_name_uq')
      .on(t.projectId, sql`lower(${t.name})`)
      .where(sql`${t.mergedInto} is null and ${t.deletedAt} is null and ${t.createdOnItem} is null`),
  ],
);
