import { z } from 'zod';
import { idSchema, text } from './common.ts';
import { csvDownloadQuery } from './exports.ts';

/** What an audit entry is about (the `entity` column of audit_log). */
export const AUDIT_ENTITIES = ['coding', 'adjudication', 'codebook', 'membership', 'invite', 'round', 'item', 'project', 'token', 'import', 'incident', 'account', 'attachment', 'gold', 'actor', 'revision'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/** A day (`2026-12-06`, the whole day) or an instant with its offset (`2026-12-06T10:00:00Z`). */
const auditTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Filters of the project's audit (the list and its CSV); every filter is optional. */
export const auditFilterQuery = z
  .object({
    actor: idSchema('usr').optional().describe('only what this member did'),
    entity: z.enum(AUDIT_ENTITIES).optional().describe('only entries about this kind of thing'),
    action: text().regex(/^[a-z][a-z-]{0,39}$/, 'must be an action name such as update').optional(),
    from: auditTime.optional().describe('from this day or instant on (inclusive)'),
    to: auditTime.optional().describe('up to this day (inclusive, the whole day) or instant'),
  })
  .refine((q) => !q.from || !q.to || auditBounds(q).from! <= auditBounds(q).to!, { message: 'from must not be after to', path: ['from'] });

/** The filters as instants: a day `to` covers the whole day (UTC). */
export function auditBounds(q: { from?: string; to?: string }): { from?: Date; to?: Date } {
  const day = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  return {
    from: q.from ? new Date(day(q.from) ? `${q.from}T00:00:00Z` : q.from) : undefined,
    to: q.to ? new Date(day(q.to) ? new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000 - 1 : q.to) : undefined,
  };
}

export const auditListQuery = auditFilterQuery.safeExtend({
  cursor: text().regex(/^\d{1,18}$/, 'must be the nextCursor of a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditListQuery = z.infer<typeof auditListQuery>;

export const auditCsvQuery = auditFilterQuery.safeExtend(csvDownloadQuery.shape);
export type AuditFilter = z.infer<typeof auditFilterQuery>;

export const auditEntrySchema = z.object({
  id: text(),
  at: text(),
  actorId: text().nullable(),
  /** Null when the account is gone or the server acted (a scheduled job). */
  actorName: text().nullable(),
  entity: z.enum(AUDIT_ENTITIES),
  entityId: text(),
  action: text(),
  summary: text(),
  before: z.unknown(),
  after: z.unknown(),
  /** Coded values were withheld: the item is still coded blind (SECURITY.md, rule 1). */
  redacted: z.boolean(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: text().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
