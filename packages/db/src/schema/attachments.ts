import { bigint, bigserial, check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { AttachmentMediaType } from '@concord/shared';
import { bytea, timestamptz } from './columns.ts';
import { users } from './accounts.ts';
import { projects } from './projects.ts';
import { items } from './items.ts';

/**
 * Files that preserve an item (screenshots, PDFs, HTML snapshots), or links to them recorded
 * by an import. A file's bytes are in `data` (the default) or in a file named `path` under
 * CONCORD_ATTACHMENTS_DIR; a link has only `url`. Lists never select `data`.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    /** Order of arrival: an import's links keep their cell's order, uploads follow. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    mediaType: text('media_type').$type<AttachmentMediaType>(),
    size: bigint('size', { mode: 'number' }),
    sha256: text('sha256'),
    data: bytea('data'),
    path: text('path'),
    url: text('url'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('attachments_item_idx').on(t.itemId, t.seq),
    // A file (type, size, hash, and its bytes in one place) or a link, never a mix.
    check(
      'attachments_file_or_link',
      sql`(${t.url} is null and ${t.mediaType} is not null and ${t.size} is not null and ${t.sha256} is not null and (${t.data} is null) <> (${t.path} is null))
        or (${t.url} is not null and ${t.data} is null and ${t.path} is null)`,
    ),
  ],
);
