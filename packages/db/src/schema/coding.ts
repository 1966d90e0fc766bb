import { bigserial, boolean, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import type { AuditEntity, CodingStatus, CodingValue, RoundType } from '@concord/shared';
import { timestamptz } from './columns.ts';
import { users } from './accounts.ts';
import { codebookVersions, projects } from './projects.ts';
import { items } from './items.ts';

/** A round: one assignment run, with the parameters that reproduce it. */
export const rounds = pgTable('rounds', {
  id: text('id').primaryKey(),
  projectId: text('project_id')
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** What the round is for (ROUND_TYPES); only `reliability` rounds guard independence at a phase change. */
  type: text('type').$type<RoundType>().notNull().default('production'),
  /** The codebook version current when the round was created (null for rounds made before types existed). */
  codebookVersionId: text('codebook_version_id').references(() => codebookVersions.id),
  params: jsonb('params').$type<Record<string, unknown>>().notNull(),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export const assignments = pgTable(
  'assignments',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    coderId: text('coder_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roundId: text('round_id').references(() => rounds.id, { onDelete: 'set null' }),
    /**
     * True while the item has stayed independent for this coder since the assignment was made;
     * set false for good when the item leaves the independent phase before she submits.
     */
    blind: boolean('blind').notNull().default(true),
    submittedAt: timestamptz('submitted_at'),
    /**
     * Set when an editor reopened this coder's submission (reason in the audit log): her coding
     * is editable again even on a revealed item, until she submits again.
     */
    reopenedAt: timestamptz('reopened_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [unique('assignments_item_coder_uq').on(t.itemId, t.coderId), index('assignments_coder_idx').on(t.projectId, t.coderId)],
);

export const codings = pgTable(
  'codings',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    coderId: text('coder_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fieldKey: text('field_key').notNull(),
    /** The codebook version the value was coded under; later versions never rewrite it. */
    codebookVersionId: text('codebook_version_id')
      .notNull()
      .references(() => codebookVersions.id),
    value: jsonb('value').$type<CodingValue>().notNull(),
    status: text('status').$type<CodingStatus>().notNull().default('draft'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    submittedAt: timestamptz('submitted_at'),
    /**
     * Set at submit: whether the item was independent for this coder from start to submit.
     * Reliability reads blind codings only (SECURITY.md, rule 5; packages/shared ROUND_TYPES).
     */
    blind: boolean('blind').notNull().default(true),
    /**
     * The item's text version (items.text_version) current when the coder submitted: the text
     * she coded. Null while a draft, and for codings that did not come through a submit here.
     */
    itemVersion: integer('item_version'),
  },
  (t) => [
    unique('codings_item_coder_field_uq').on(t.itemId, t.coderId, t.fieldKey),
    index('codings_project_field_idx').on(t.projectId, t.fieldKey),
  ],
);

/** The consensus (gold) value for an item's field. Never overwrites codings. */
export const adjudications = pgTable(
  'adjudications',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    fieldKey: text('field_key').notNull(),
    codebookVersionId: text('codebook_version_id')
      .notNull()
      .references(() => codebookVersions.id),
    value: jsonb('value').$type<CodingValue | null>(),
    rationale: text('rationale').notNull().default(''),
    status: text('status').$type<'decided' | 'reopened'>().notNull().default('decided'),
    decidedBy: text('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamptz('decided_at').notNull().defaultNow(),
  },
  (t) => [unique('adjudications_item_field_uq').on(t.itemId, t.fieldKey)],
);

export const comments = pgTable(
  'comments',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    /** Set when the comment discusses one field (a disagreement thread). */
    fieldKey: text('field_key'),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    /** User ids named by `@handle` in the body, resolved against the members when posted. */
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('comments_item_idx').on(t.itemId, t.createdAt)],
);

/** The kinds are listed once, in @concord/shared (AUDIT_ENTITIES), for the audit API's filter. */
export type { AuditEntity };

/**
 * Append-only: a trigger (migration 0001) rejects UPDATE and DELETE, so history
 * cannot be rewritten even by a bug in the server.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null for entries about an account rather than a project (personal access tokens). */
    projectId: text('project_id'),
    actorId: text('actor_id'),
    entity: text('entity').$type<AuditEntity>().notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    at: timestamptz('at').notNull().defaultNow(),
  },
  (t) => [index('audit_log_project_idx').on(t.projectId, t.at)],
);
