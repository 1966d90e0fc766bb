/**
 * The one authorization layer. Every verb starts by asking it; routes and socket
 * handlers never check roles themselves.
 */
import { and, eq } from 'drizzle-orm';
import { projectMembers } from '@concord/db';
import type { Action, Phase, Role } from '@concord/shared';
import { AppError, forbidden, notFound } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';

const ALL: readonly Role[] = ['owner', 'methodologist', 'editor', 'coder'];
const MANAGERS: readonly Role[] = ['owner', 'methodologist', 'editor'];

export const POLICY: Record<Action, readonly Role[]> = {
  'project.read': ALL,
  'project.update': ['owner'],
  'project.delete': ['owner'],
  'members.read': ALL,
  'members.manage': ['owner'],
  'codebook.read': ALL,
  'codebook.edit': ['owner', 'methodologist'],
  'incidents.manage': ['owner', 'editor'],
  'items.read': ALL,
  'items.write': ['owner', 'editor'],
  'items.import': ['owner', 'editor'],
  /** The item's live document (annotations, memos, discussion): coders and editors write, everyone reads. */
  'itemDoc.write': ['owner', 'editor', 'coder'],
  'assignments.read': ALL,
  'assignments.manage': ['owner', 'methodologist', 'editor'],
  'codings.writeOwn': ALL,
  'codings.readRevealed': MANAGERS,
  'phase.manage': ['owner', 'editor'],
  'adjudications.read': MANAGERS,
  'adjudications.write': ['owner', 'editor'],
  'comments.write': ALL,
  'export.read': MANAGERS,
  'reliability.read': MANAGERS,
  /** Managers: every revealed disagreement; coders: those of items they code (see disagreementScope). */
  'disagreements.read': ALL,
};

export function can(role: Role, action: Action): boolean {
  return POLICY[action].includes(role);
}

export function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED', 'sign in first');
  return ctx.actor;
}

export async function projectRole(ctx: ServiceContext, projectId: string, userId: string): Promise<Role | null> {
  const [row] = await ctx.db
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
  return row?.role ?? null;
}

/**
 * Resolves the caller's role in the project and checks the action.
 * Non-members get 404, not 403: a project's existence is itself private.
 */
export async function authorize(ctx: ServiceContext, projectId: string, action: Action): Promise<{ actor: Actor; role: Role }> {
  const actor = requireActor(ctx);
  const role = await projectRole(ctx, projectId, actor.userId);
  if (!role) throw notFound('project');
  if (!can(role, action)) throw forbidden(`a ${role} may not ${action.replace('.', ' ')}`);
  return { actor, role };
}

/**
 * Blind coding: who may see coder `coderId`'s values on an item. (SECURITY.md, rule 1)
 * - independent: only that coder;
 * - joint: every participant (the item's coders and the project's managers);
 * - revealed: managers and the item's coders.
 */
export function mayReadCodingsOf(input: {
  viewerId: string;
  viewerRole: Role;
  viewerIsItemCoder: boolean;
  coderId: string;
  phase: Phase;
}): boolean {
  if (input.viewerId === input.coderId) return true;
  if (input.phase === 'independent') return false;
  return input.viewerIsItemCoder || can(input.viewerRole, 'codings.readRevealed');
}

/**
 * Blind coding for discussion threads. While an item is independent, a comment by one
 * of its coders may carry values, so only its author and managers who do not code the
 * item see it; comments by anyone else (say, an editor clarifying the codebook) are
 * visible to every member. From the joint phase on, every comment is visible.
 */
export function mayReadCommentOf(input: {
  viewerId: string;
  viewerRole: Role;
  viewerIsItemCoder: boolean;
  /** null when the author's account is gone: treated as a coder, to stay on the safe side. */
  authorId: string | null;
  authorIsItemCoder: boolean;
  phase: Phase;
}): boolean {
  if (input.phase !== 'independent') return true;
  if (input.authorId !== null && input.authorId === input.viewerId) return true;
  if (input.authorId !== null && !input.authorIsItemCoder) return true;
  return can(input.viewerRole, 'codings.readRevealed') && !input.viewerIsItemCoder;
}

/**
 * Which disagreements a member may see once `disagreements.read` passed: managers every
 * one; anyone else only those of items assigned to them (whose revealed codings they may
 * read, see mayReadCodingsOf).
 */
export function disagreementScope(role: Role, userId: string): { kind: 'all' } | { kind: 'assigned'; coderId: string } {
  return can(role, 'codings.readRevealed') ? { kind: 'all' } : { kind: 'assigned', coderId: userId };
}

/**
 * One disagreement in full (every coder's value): never while the item is independent;
 * afterwards to managers and the item's coders, as mayReadCodingsOf allows.
 */
export function mayReadDisagreement(input: { viewerRole: Role; viewerIsItemCoder: boolean; phase: Phase }): boolean {
  if (input.phase === 'independent') return false;
  return input.viewerIsItemCoder || can(input.viewerRole, 'codings.readRevealed');
}

/**
 * Filtering items by assigned coder: managers may ask about anyone, other members only about
 * themselves (whom an item is assigned to is not theirs to see, as in `listAssignments`).
 */
export function authorizeCoderFilter(caller: { actor: Actor; role: Role }, coderId: string): void {
  if (coderId !== caller.actor.userId && !can(caller.role, 'assignments.manage')) {
    throw forbidden(`a ${caller.role} may filter by their own assignments only`);
  }
}
