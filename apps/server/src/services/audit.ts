import { auditLog, type AuditEntity } from '@concord/db';
import type { ServiceContext } from './context.ts';

type AuditEntry = { projectId: string | null; entity: AuditEntity; entityId: string; action: string; before?: unknown; after?: unknown };

/** The row of one entry, written by the context's actor. */
const auditRow = (ctx: ServiceContext, entry: AuditEntry) => ({
  projectId: entry.projectId,
  actorId: ctx.actor?.userId ?? null,
  entity: entry.entity,
  entityId: entry.entityId,
  action: entry.action,
  before: entry.before ?? null,
  after: entry.after ?? null,
});

/** Appends one entry to the audit log, in the caller's transaction (`projectId` null: an entry about an account). */
export async function audit({ ctx, entry }: { ctx: ServiceContext; entry: AuditEntry }): Promise<void> {
  await ctx.db.insert(auditLog).values(auditRow(ctx, entry));
}

/** Appends many entries at once (a bulk edit's one per item), in the caller's transaction, in order. */
export async function auditMany({ ctx, entries }: { ctx: ServiceContext; entries: readonly AuditEntry[] }): Promise<void> {
  // 1,000 rows of 7 parameters stay well under PostgreSQL's 65,535 per statement.
  for (let at = 0; at < entries.length; at += 1000) {
    await ctx.db.insert(auditLog).values(entries.slice(at, at + 1000).map((entry) => auditRow(ctx, entry)));
  }
}
