/**
 * A coder's queue as SQL: her assigned items, optionally in one status. The one place the
 * statuses are defined (packages/shared QUEUE_STATUSES): `submitted` once she submitted,
 * `in_progress` while she has saved values but not submitted, `todo` before any value.
 * Only her own codings decide, so the status tells nobody anything about other coders.
 */
import { and, eq, exists, isNotNull, isNull, not, type SQL } from 'drizzle-orm';
import { assignments, codings, items } from '@concord/db';
import type { ItemFilterQuery, QueueStatus, Role } from '@concord/shared';
import { badRequest } from '../../errors.ts';
import { authorizeCoderFilter } from '../authz.ts';
import type { Actor, ServiceContext } from '../context.ts';

/** Her codings of the item of the assignment row in scope. */
function hasCodings(ctx: ServiceContext): SQL {
  return exists(
    ctx.db
      .select({ one: codings.id })
      .from(codings)
      .where(and(eq(codings.itemId, assignments.itemId), eq(codings.coderId, assignments.coderId))),
  );
}

/** The condition on an assignment row (in scope as `assignments`) for one status. */
export function statusCondition({ ctx, status }: { ctx: ServiceContext; status: QueueStatus }): SQL {
  switch (status) {
    case 'submitted':
      return isNotNull(assignments.submittedAt);
    case 'in_progress':
      return and(isNull(assignments.submittedAt), hasCodings(ctx))!;
    case 'todo':
      return and(isNull(assignments.submittedAt), not(hasCodings(ctx)))!;
  }
}

/** Items (in scope as `items`) assigned to `coderId`, in `status` when given. */
export function assignedTo({ ctx, coderId, status }: { ctx: ServiceContext; coderId: string; status?: QueueStatus }): SQL {
  const where = [eq(assignments.itemId, items.id), eq(assignments.coderId, coderId)];
  if (status) where.push(statusCondition({ ctx, status }));
  return exists(
    ctx.db
      .select({ one: assignments.id })
      .from(assignments)
      .where(and(...where)),
  );
}

/**
 * The assignment filters of the item list and table: `coder` (managers: anyone; others: only
 * themselves, see authorizeCoderFilter), `assigned=me`, and `status` of that coder's queue.
 */
export function queueFilters({ ctx, caller, query }: { ctx: ServiceContext; caller: { actor: Actor; role: Role }; query: ItemFilterQuery }): SQL[] {
  if (query.status && !query.coder && !query.assigned) {
    throw badRequest('status filters one coder\'s queue: add assigned=me (or coder=ID)', [{ path: ['status'], message: 'needs assigned=me or coder' }]);
  }
  const out: SQL[] = [];
  if (query.coder) {
    authorizeCoderFilter(caller, query.coder);
    out.push(assignedTo({ ctx, coderId: query.coder, status: query.status }));
  }
  if (query.assigned === 'me') out.push(assignedTo({ ctx, coderId: caller.actor.userId, status: query.status }));
  return out;
}
