import { bigint, bigserial, date, index, integer, json, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { Phase, Platform } from '@concord/shared';
import { timestamptz } from './columns.ts';
import { users } from './accounts.ts';
import { projects } from './projects.ts';

export const incidents = pgTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Where it happened (a country name as the team writes it). */
    country: text('country'),
    /** Calendar days (YYYY-MM-DD), no time zone: an incident spans days, not instants. */
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('incidents_name_uq').on(t.projectId, t.name)],
);

export const imports = pgTable('imports', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' }),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  format: text('format').$type<'csv' | 'json'>().notNull(),
  filename: text('filename'),
  rowCount: bigint('row_count', { mode: 'number' }).notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export const items = pgTable(
  'items',
  {
    id: text('id').primaryKey(),
    /** Insertion order: lists and exports keep the order of the imported file. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    externalId: text('external_id'),
    title: text('title').notNull(),
    url: text('url'),
    /** An archived copy of the original (Wayback Machine, archive.today…). */
    archivedUrl: text('archived_url'),
    platform: text('platform').$type<Platform>(),
    author: text('author'),
    publishedAt: timestamptz('published_at'),
    language: text('language'),
    body: text('body').notNull().default(''),
    /**
     * The number of the item's current text (title and body). It goes up when the text of an
     * item with codings changes; the text it replaces is kept in item_versions, and codings
     * record the number their coder submitted under (codings.item_version).
     */
    textVersion: integer('text_version').notNull().default(1),
    /** A translation beside the original text (coders choose original, translation or both). */
    translationLanguage: text('translation_language'),
    translationTitle: text('translation_title'),
    translationBody: text('translation_body'),
    reach: bigint('reach', { mode: 'number' }),
    likes: bigint('likes', { mode: 'number' }),
    shares: bigint('shares', { mode: 'number' }),
    comments: bigint('comments', { mode: 'number' }),
    /**
     * The import row as it arrived, so nothing of an Airtable export is lost. `json`, not
     * `jsonb`: it is stored and returned, never queried, and json halves bulk-import time.
     */
    raw: json('raw').$type<Record<string, string>>(),
    importId: text('import_id').references(() => imports.id, { onDelete: 'set null' }),
    phase: text('phase').$type<Phase>().notNull().default('independent'),
    revealedAt: timestamptz('revealed_at'),
    /**
     * Set when an item with codings, comments or decisions is deleted: it leaves lists and
     * rounds but keeps its work (exports flag it); clearing it restores the item.
     */
    archivedAt: timestamptz('archived_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('items_project_idx').on(t.projectId, t.seq),
    uniqueIndex('items_external_id_uq').on(t.projectId, t.externalId).where(sql`${t.externalId} is not null`),
  ],
);

/**
 * An item's incidents, as Airtable's linked records allow several. `position` orders them;
 * the first (lowest) is the item's primary incident, shown where only one fits.
 */
export const itemIncidents = pgTable(
  'item_incidents',
  {
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.incidentId] }), index('item_incidents_incident_idx').on(t.incidentId)],
);

/**
 * Earlier texts of an item: kept when the title or body of an item with codings changes, so a
 * coding can be read against the text its coder saw. `version` is the number the text had
 * (items.text_version before the change); the current text is the item's own.
 */
export const itemVersions = pgTable(
  'item_versions',
  {
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** When and by whom this text was replaced (the moment it became a kept version). */
    replacedAt: timestamptz('replaced_at').notNull().defaultNow(),
    replacedBy: text('replaced_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.version] })],
);
