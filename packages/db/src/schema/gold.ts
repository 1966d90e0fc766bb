import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { CodingValue } from '@concord/shared';
import { timestamptz } from './columns.ts';
import { users } from './accounts.ts';
import { codebookVersions, projects } from './projects.ts';
import { items } from './items.ts';

/**
 * An imported answer key: the gold value of an item's field for calibration rounds. A decided
 * adjudication is the other kind of gold (services/calibration/gold.ts decides which counts).
 * Re-importing a row replaces it; codings are never touched.
 */
export const goldValues = pgTable(
  'gold_values',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    fieldKey: text('field_key').notNull(),
    /** The codebook version the value was checked against at import. */
    codebookVersionId: text('codebook_version_id')
      .notNull()
      .references(() => codebookVersions.id),
    /** Null: the key says the field has no value for this item. */
    value: jsonb('value').$type<CodingValue | null>(),
    rationale: text('rationale').notNull().default(''),
    importedBy: text('imported_by').references(() => users.id, { onDelete: 'set null' }),
    importedAt: timestamptz('imported_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.fieldKey] }), index('gold_values_project_idx').on(t.projectId)],
);
