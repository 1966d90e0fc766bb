/**
 * The project's audit log as its owner reads it (issue 12, point 10): newest first, keyset-paged
 * on the entry id (ids only grow, and entries of one transaction share their `at`).
 */
import { and, desc, eq, gte, inArray, lt, lte, type SQL } from 'drizzle-orm';
import { auditLog, items, users } from '@concord/db';
import { auditBounds, type AuditEntry, type AuditFilter, type AuditPage, type Phase } from '@concord/shared';
import { authorize, mayReadCodingsOf, mayReadDisagreement } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { auditSummary } from './audit-summary.ts';

type Row = Omit<AuditEntry, 'id' | 'at' | 'summary' | 'redacted'> & { id: number; at: Date };

function conditions(projectId: string, filter: AuditFilter, cursor?: string): SQL[] {
  const { from, to } = auditBounds(filter);
  const where: SQL[] = [eq(auditLog.projectId, projectId)];
  if (filter.actor) where.push(eq(auditLog.actorId, filter.actor));
  if (filter.entity) where.push(eq(auditLog.entity, filter.entity));
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (from) where.push(gte(auditLog.at, from));
  if (to) where.push(lte(auditLog.at, to));
  if (cursor) where.push(lt(auditLog.id, Number(cursor)));
  return where;
}

async function selectRows(ctx: ServiceContext, projectId: string, filter: AuditFilter, limit: number, cursor?: string): Promise<Row[]> {
  return ctx.db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorId: auditLog.actorId,
      actorName: users.name,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      action: auditLog.action,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...conditions(projectId, filter, cursor)))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

/** A coding entry's id is `item:coder:field`. */
const codingParts = (entityId: string) => {
  const [itemId = '', coderId = ''] = entityId.split(':');
  return { itemId, coderId };
};

/**
 * Whose codes on which item an entry carries: a coding's, or an actor made on the fly while
 * coding (`after.onItem`, services/actors), which is one of its maker's codes. Null: no codes.
 */
function codedBy(r: Pick<Row, 'entity' | 'entityId' | 'actorId' | 'after'>): { itemId: string; coderId: string | null } | null {
  if (r.entity === 'coding') return codingParts(r.entityId);
  // A revised coding (`item:field`) is the joint layer's value, a decision (`item:field`, and its
  // rationale) is made from the coders' values: coderId null, both hidden while the item is independent.
  if (r.entity === 'revision' || r.entity === 'adjudication') return { itemId: r.entityId.split(':')[0] ?? '', coderId: null };
  const onItem = r.entity === 'actor' && typeof r.after === 'object' && r.after !== null ? (r.after as { onItem?: unknown }).onItem : undefined;
  return typeof onItem === 'string' ? { itemId: onItem, coderId: r.actorId ?? '' } : null;
}

/** Drops coded values from one side of an entry: a coding's value, a decision's value and rationale. */
function withoutValue(side: unknown): unknown {
  if (typeof side !== 'object' || side === null || !('value' in side || 'rationale' in side)) return side;
  const { value: _withheld, rationale: _explained, ...rest } = side as Record<string, unknown>;
  return rest;
}

/**
 * Blind coding (SECURITY.md, rule 1) holds in the audit too: a coding entry's values are shown
 * only when the reader may read that coder's codings on the item now (mayReadCodingsOf, with the
 * item's current phase), a revised coding's and a decision's (value and rationale) only while
 * the item is not coded blind (mayReadDisagreement). A purged item's phase is unknown: its values
 * stay withheld.
 */
async function present(ctx: ServiceContext, viewer: { userId: string; role: Parameters<typeof mayReadCodingsOf>[0]['viewerRole'] }, rows: Row[]): Promise<AuditEntry[]> {
  const itemIds = [...new Set(rows.flatMap((r) => codedBy(r)?.itemId ?? []))];
  const phases = new Map<string, Phase>();
  if (itemIds.length > 0) {
    for (const r of await ctx.db.select({ id: items.id, phase: items.phase }).from(items).where(inArray(items.id, itemIds))) phases.set(r.id, r.phase);
  }
  return rows.map((r) => {
    let { before, after } = r;
    let redacted = false;
    const codes = codedBy(r);
    if (codes) {
      const { itemId, coderId } = codes;
      const phase = phases.get(itemId);
      // The owner is a manager, so whether she codes the item changes nothing once it is out of the independent phase.
      // The joint layer does not exist while its item is coded blind (SECURITY.md, rule 1).
      const readable =
        phase !== undefined &&
        (coderId === null ? mayReadDisagreement({ viewerRole: viewer.role, viewerIsItemCoder: false, phase }) : mayReadCodingsOf({ viewerId: viewer.userId, viewerRole: viewer.role, viewerIsItemCoder: false, coderId, phase }));
      if (!readable) {
        redacted = JSON.stringify(before) !== JSON.stringify(withoutValue(before)) || JSON.stringify(after) !== JSON.stringify(withoutValue(after));
        before = withoutValue(before);
        after = withoutValue(after);
      }
    }
    const entry = { entity: r.entity, entityId: r.entityId, action: r.action, before, after };
    return { ...entry, id: String(r.id), at: r.at.toISOString(), actorId: r.actorId, actorName: r.actorName, summary: auditSummary(entry), redacted };
  });
}

export async function listAudit({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: AuditFilter & { cursor?: string; limit: number } }): Promise<AuditPage> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'audit.read' });
  const rows = await selectRows(ctx, projectId, query, query.limit + 1, query.cursor);
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { entries: await present(ctx, { userId: actor.userId, role }, page), nextCursor: more ? String(page.at(-1)!.id) : null };
}

/** Every matching entry, newest first, in pages (for the CSV). */
export async function* allAudit({ ctx, projectId, filter }: { ctx: ServiceContext; projectId: string; filter: AuditFilter }): AsyncGenerator<AuditEntry> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'audit.read' });
  let cursor: string | undefined;
  for (;;) {
    const rows = await selectRows(ctx, projectId, filter, 1000, cursor);
    yield* await present(ctx, { userId: actor.userId, role }, rows);
    if (rows.length < 1000) return;
    cursor = String(rows.at(-1)!.id);
  }
}
