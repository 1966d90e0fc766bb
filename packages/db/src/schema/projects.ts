import { boolean, index, integer, jsonb, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import type { FieldDefinition, Role } from '@concord/shared';
import { timestamptz } from './columns.ts';
import { users } from './accounts.ts';

export const projects = pgTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  /** Exports and reports name coders by display name instead of their pseudonym (C1, C2…). Off by default. */
  showCoderNames: boolean('show_coder_names').notNull().default(false),
});

export const projectMembers = pgTable(
  'project_members',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_members_user_idx').on(t.userId)],
);

/** One codebook per project; its fields live in immutable-once-used versions. */
export const codebooks = pgTable('codebooks', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .unique()
    .references(() => projects.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  currentVersion: integer('current_version').notNull().default(1),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export const codebookVersions = pgTable(
  'codebook_versions',
  {
    id: text('id').primaryKey(),
    codebookId: text('codebook_id')
      .notNull()
      .references(() => codebooks.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** What changed from the previous version, in words, for the version list. */
    note: text('note').notNull().default(''),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [unique('codebook_versions_version_uq').on(t.codebookId, t.version)],
);

/**
 * A field of one codebook version. Options and scale points are kept as an ordered
 * JSON definition: the order is meaningful (ordinal measures use it) and a field is
 * always read whole.
 */
export const codebookFields = pgTable(
  'codebook_fields',
  {
    id: text('id').primaryKey(),
    versionId: text('version_id')
      .notNull()
      .references(() => codebookVersions.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    position: integer('position').notNull(),
    type: text('type').$type<FieldDefinition['type']>().notNull(),
    definition: jsonb('definition').$type<FieldDefinition>().notNull(),
  },
  (t) => [unique('codebook_fields_key_uq').on(t.versionId, t.key)],
);

/**
 * Invitations: a pending membership of one project, for one account, with a one-time link
 * `/invite/<token>` (only the token's SHA-256 is stored). The membership exists only once the
 * link is used, before `expiresAt`: by setting the password of a pending account, or by the
 * account itself, signed in. An invitation never touches another project's invitation.
 */
export const invites = pgTable(
  'invites',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The invitee's account (created pending when the email had none). */
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The one project whose membership this link activates. */
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    /** Set once, when the link is used. Re-inviting or revoking deletes the unused row instead. */
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('invites_user_idx').on(t.userId), index('invites_project_user_idx').on(t.projectId, t.userId)],
);
