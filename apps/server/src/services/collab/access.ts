/**
 * Who may open which live document, and whether they may write it. The transport asks
 * here before sending any content and again when an item's phase changes.
 */
import { eq } from 'drizzle-orm';
import { assignments, items, users } from '@concord/db';
import { itemDocBlindFor, itemDocWriteRefusal, parseDocName, type DocName, type Phase, type Role } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { can, mayReadCodingsOf, projectRole, requireActor } from '../authz.ts';
import type { ServiceContext } from '../context.ts';

export interface DocAccess {
  name: string;
  doc: DocName;
  projectId: string;
  itemId: string;
  phase: Phase;
  role: Role;
  /** The account's name: what presence shows of this user, whatever the client sends. */
  userName: string;
  /** May remove other members' entries of the item document (itemDoc.moderate). */
  moderates: boolean;
  /** `read`: the connection receives the document; its updates are refused. */
  mode: 'read' | 'write';
  /** Why a read connection may not write: FORBIDDEN (not theirs) or CONFLICT (frozen). */
  readOnly: { code: 'FORBIDDEN' | 'CONFLICT'; reason: string } | null;
  /**
   * Whether the connection receives the document's content. False for the item's own coders on
   * its shared document while it is coded blind: that document may hold what coders tagged and
   * wrote in an earlier joint session or after a reveal (an item sent back to independent
   * coding), i.e. codes. They still get presence ("who is on this item").
   */
  content: boolean;
}

// One answer for unknown names, unknown items and other projects: existence stays private.
const noSuchDocument = () => new AppError('FORBIDDEN', 'no such document, or you may not open it');

export async function resolveDocAccess({ ctx, name }: { ctx: ServiceContext; name: string }): Promise<DocAccess> {
  const actor = requireActor({ ctx });
  const doc = parseDocName(name);
  if (!doc) throw noSuchDocument();
  const [item] = await ctx.db.select({ projectId: items.projectId, phase: items.phase }).from(items).where(eq(items.id, doc.itemId));
  if (!item) throw noSuchDocument();
  const role = await projectRole({ ctx, projectId: item.projectId, userId: actor.userId });
  if (!role) throw noSuchDocument();
  const [user] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
  const base = { name, doc, projectId: item.projectId, itemId: doc.itemId, phase: item.phase, role, userName: user?.name ?? '', moderates: can(role, 'itemDoc.moderate'), content: true };
  const assigned = await ctx.db
    .select({ coderId: assignments.coderId, submittedAt: assignments.submittedAt, reopenedAt: assignments.reopenedAt })
    .from(assignments)
    .where(eq(assignments.itemId, doc.itemId));

  if (doc.kind === 'item') {
    if (!can(role, 'items.read')) throw noSuchDocument();
    // Presence only for the item's own coders while they code it blind (SECURITY.md rule 8).
    const content = !itemDocBlindFor({ phase: item.phase, itemCoder: assigned.some((a) => a.coderId === actor.userId) });
    // One rule with the browser (which must not write where it would be closed): a coder's
    // annotations are codes, so coders do not write the shared document while it is coded blind.
    const refusal = itemDocWriteRefusal((action) => can(role, action), item.phase);
    if (refusal || !content) return { ...base, content, mode: 'read', readOnly: { code: 'FORBIDDEN', reason: `a ${role}: ${refusal ?? 'the item is coded blind'}` } };
    return { ...base, mode: 'write', readOnly: null };
  }

  if (doc.kind === 'joint') return jointAccess(base, assigned.some((a) => a.coderId === actor.userId));
  const coder = assigned.find((a) => a.coderId === doc.coderId);
  if (!coder) throw noSuchDocument();
  const viewerIsItemCoder = assigned.some((a) => a.coderId === actor.userId);
  if (!mayReadCodingsOf({ viewerId: actor.userId, viewerRole: role, viewerIsItemCoder, coderId: doc.coderId, phase: item.phase })) {
    throw noSuchDocument();
  }
  if (actor.userId !== doc.coderId || !can(role, 'codings.writeOwn')) {
    return { ...base, mode: 'read', readOnly: { code: 'FORBIDDEN', reason: "only its coder writes a coding document" } };
  }
  const frozen = codingFrozenReason(item.phase, coder);
  return frozen ? { ...base, mode: 'read', readOnly: { code: 'CONFLICT', reason: frozen } } : { ...base, mode: 'write', readOnly: null };
}

/**
 * The joint layer (issue 13, item 4): exists for an item once it is in a joint session; the
 * item's coders and the managers open it (others as if it did not exist), the coders and the
 * editors write it while the session is open; after it, it is read-only. Before the session
 * (independent) nobody opens it: it would carry values across the blind.
 */
function jointAccess(base: Omit<DocAccess, 'mode' | 'readOnly'>, viewerIsItemCoder: boolean): DocAccess {
  if (base.phase === 'independent') throw noSuchDocument();
  if (!viewerIsItemCoder && !can(base.role, 'codings.readRevealed')) throw noSuchDocument();
  if (base.phase !== 'joint') return { ...base, mode: 'read', readOnly: { code: 'CONFLICT', reason: 'the joint session on this item has ended' } };
  if (viewerIsItemCoder || can(base.role, 'adjudications.write')) return { ...base, mode: 'write', readOnly: null };
  return { ...base, mode: 'read', readOnly: { code: 'FORBIDDEN', reason: `a ${base.role} follows the joint session; its coders and editors change its values` } };
}

/** An item's phase as stored; an item that is gone counts as coded blind (the strictest presence). */
export async function itemPhase({ ctx, itemId }: { ctx: ServiceContext; itemId: string }): Promise<Phase> {
  const [item] = await ctx.db.select({ phase: items.phase }).from(items).where(eq(items.id, itemId));
  return item?.phase ?? 'independent';
}

/**
 * Submitted codings and revealed items are frozen, except a submission an editor reopened
 * (services/codings/reopen-submission.ts): editable again, revealed or not, until resubmitted.
 */
export function codingFrozenReason(phase: Phase, assignment: { submittedAt: Date | null; reopenedAt: Date | null }): string | null {
  if (assignment.submittedAt) return 'these codings are submitted; they are final';
  if (phase === 'revealed' && !assignment.reopenedAt) return 'this item is revealed; its codings are frozen';
  return null;
}
