import { auditLog, type AuditEntity } from '@concord/db';
import type { ServiceContext } from './context.ts';

/** Appends one entry to the audit log, in the caller's transaction (`projectId` null: an entry about an account). */
export async function audit(
  ctx: ServiceContext,
  entry: { projectId: string | null; entity: AuditEntity; entityId: string; action: string; before?: unknown; after?: unknown },
): Promise<void> {
  await ctx.db.insert(auditLog).values({
    projectId: entry.projectId,
    actorId: ctx.actor?.userId ?? null,
    entity: entry.entity,
    entityId: entry.entityId,
    action: entry.action,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
