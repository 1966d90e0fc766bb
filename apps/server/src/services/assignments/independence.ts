/**
 * Independence per coder (issue 13, round types). A coding counts for reliability only when
 * the item stayed independent for its coder from her assignment to her submit: once an item
 * leaves the independent phase (joint session, reveal), a coder who has not submitted may have
 * seen the others' values, so her assignment stops being blind for good, and so do the codings
 * she submits later (codings.blind, set at submit). Reliability rounds go further: an editor
 * may move their items out of independence early only after confirming that exclusion.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { assignments, rounds, users } from '@concord/db';
import type { Phase } from '@concord/shared';
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../context.ts';
import { audit } from '../audit.ts';

/** Coders of the item who have not submitted yet, with whether one of their rounds is a reliability round. */
async function pendingCoders(ctx: ServiceContext, itemId: string) {
  return ctx.db
    .select({ assignmentId: assignments.id, coderId: assignments.coderId, name: users.name, roundType: rounds.type })
    .from(assignments)
    .innerJoin(users, eq(users.id, assignments.coderId))
    .leftJoin(rounds, eq(rounds.id, assignments.roundId))
    .where(and(eq(assignments.itemId, itemId), isNull(assignments.submittedAt)));
}

/**
 * Called inside the phase change's transaction, before the item moves from `from` to `to`.
 * Leaving `independent` marks the pending coders' assignments not blind (audited); for a
 * reliability round's item that needs `confirmExcludeLate`, else 409 naming who is pending
 * (in the message, and in a detail whose path is `confirmExcludeLate`).
 */
export async function leaveIndependence({ ctx: tx, projectId, itemId, move }: {
  ctx: ServiceContext;
  projectId: string;
  itemId: string;
  move: { from: Phase; to: Phase; confirmExcludeLate: boolean };
}): Promise<void> {
  if (move.from !== 'independent' || move.to === 'independent') return;
  const pending = await pendingCoders(tx, itemId);
  if (!pending.length) return;
  if (pending.some((p) => p.roundType === 'reliability') && !move.confirmExcludeLate) {
    const who = [...new Set(pending.map((p) => p.name))].join(', ');
    throw new AppError(
      'CONFLICT',
      `this item is in a reliability round and ${pending.length} assigned coder(s) have not submitted (${who}); ` +
        `moving it to ${move.to} now leaves their later codings out of reliability: send confirmExcludeLate: true to confirm`,
      // What the web app asks the editor to confirm (the detail names the input that confirms).
      [{ path: ['confirmExcludeLate'], message: `not submitted yet: ${who}` }],
    );
  }
  await tx.db.update(assignments).set({ blind: false }).where(inArray(assignments.id, pending.map((p) => p.assignmentId)));
  await audit({ ctx: tx, entry: {
    projectId,
    entity: 'item',
    entityId: itemId,
    action: 'independence-ended',
    before: { phase: move.from },
    after: { phase: move.to, confirmExcludeLate: move.confirmExcludeLate, notBlind: pending.map((p) => p.coderId) },
  } });
}
