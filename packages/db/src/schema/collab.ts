import { bigint, bigserial, index, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, timestamptz } from './columns.ts';
import { sessions, users } from './accounts.ts';
import { items } from './items.ts';

/**
 * Live documents (Yjs) are stored as an append-only log of updates plus one compacted
 * snapshot per document: loading = snapshot + the log rows after `upTo`. Every document
 * belongs to an item, so deleting the item deletes its documents.
 */
export const docUpdates = pgTable(
  'doc_updates',
  {
    /** Global order; a document's tail is its rows with id > its snapshot's upTo. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    docName: text('doc_name').notNull(),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    update: bytea('update').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('doc_updates_doc_idx').on(t.docName, t.id), index('doc_updates_item_idx').on(t.itemId)],
);

export const docSnapshots = pgTable(
  'doc_snapshots',
  {
    docName: text('doc_name').primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    /** Y.encodeStateAsUpdate of the merged document. */
    state: bytea('state').notNull(),
    /** The highest doc_updates.id merged into `state` (informational: every row still in the log is the tail). */
    upTo: bigint('up_to', { mode: 'number' }).notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('doc_snapshots_item_idx').on(t.itemId)],
);

/**
 * Short-lived tokens for opening live connections without the cookie (stored hashed). Each
 * belongs to the session that asked for it: when the session ends, its tokens go with it.
 */
export const wsTokens = pgTable(
  'ws_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sessionHash: text('session_hash')
      .notNull()
      .references(() => sessions.tokenHash, { onDelete: 'cascade' }),
    expiresAt: timestamptz('expires_at').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('ws_tokens_expires_idx').on(t.expiresAt)],
);
