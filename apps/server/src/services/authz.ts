/**
 * The one authorization layer. Every verb starts by asking it; routes and socket
 * handlers never check roles themselves.
 */
import { and, eq } from 'drizzle-orm';
import { projectMembers } from '@concord/db';
import type { Action, Comment, GoldSource, Phase, Role, ServerToClientEvents, TokenScope } from '@concord/shared';
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
  /** Create, edit, merge and delete actors; coders create them only on the fly, where a link field allows it (services/actors). */
  'actors.manage': MANAGERS,
  'items.read': ALL,
  'items.write': ['owner', 'editor'],
  'items.import': ['owner', 'editor'],
  /** Remove an archived item with its codings, comments and decisions for good: the owner's alone. */
  'items.purge': ['owner'],
  /** The item's live document (annotations, memos, discussion): coders and editors write, everyone reads. */
  'itemDoc.write': ['owner', 'editor', 'coder'],
  /**
   * Remove (never edit) other members' entries in the item document. Everyone else changes
   * only their own; authorship is checked by the server (collab/item-integrity.ts).
   */
  'itemDoc.moderate': ['owner', 'editor'],
  'assignments.read': ALL,
  'assignments.manage': ['owner', 'methodologist', 'editor'],
  'codings.writeOwn': ALL,
  'codings.readRevealed': MANAGERS,
  /** Reopen one coder's submission (with a reason, audited): the editor's, as decisions are. */
  'codings.reopen': ['owner', 'editor'],
  'phase.manage': ['owner', 'editor'],
  'adjudications.read': MANAGERS,
  'adjudications.write': ['owner', 'editor'],
  /** Import a calibration answer key (gold values): the managers who set up calibration rounds. */
  'gold.write': MANAGERS,
  'comments.write': ALL,
  'export.read': MANAGERS,
  /** The key from coder pseudonyms (C1, C2…) to people: who coded is the owner's to know. */
  'export.key': ['owner'],
  'reliability.read': MANAGERS,
  /** Plan a reliability round by simulation (it costs CPU, and rounds are the methodologist's design). */
  'reliability.plan': ['owner', 'methodologist'],
  /** Managers: every revealed disagreement; coders: those of items they code (see disagreementScope). */
  'disagreements.read': ALL,
  /** Who did what and when (the audit log): the owner's, as the key to coder pseudonyms is. */
  'audit.read': ['owner'],
};

export function can(role: Role, action: Action): boolean {
  return POLICY[action].includes(role);
}

export function requireActor({ ctx }: { ctx: ServiceContext }): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED', 'sign in first');
  return ctx.actor;
}

/** Instance-wide operations (not of one project): the instance administrators only. */
export function authorizeAdmin({ ctx }: { ctx: ServiceContext }): Actor {
  const actor = requireActor({ ctx });
  if (!actor.isAdmin) throw new AppError('FORBIDDEN', 'only an instance administrator may do this');
  return actor;
}

export async function projectRole({ ctx, projectId, userId }: { ctx: ServiceContext; projectId: string; userId: string }): Promise<Role | null> {
  const [row] = await ctx.db
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
  return row?.role ?? null;
}

/*
 * Personal access tokens act as their owner, narrowed by their scope; both scopes only read.
 * Two checks, both here: the request's method (any write is refused before a route runs, which
 * also covers the account's own verbs: password, tokens, sign-out) and, inside `authorize`, the
 * action (what `read-export` may read).
 */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The actions each scope allows (on top of the owner's roles); null: every action its method allows. */
export const TOKEN_SCOPE_ACTIONS: Record<TokenScope, readonly Action[] | null> = {
  read: null,
  /** A scheduled pull: find the project, download its exports (not the pseudonym key, `export.key`: people's names stay with a person). */
  'read-export': ['project.read', 'export.read'],
};

/** Refuses a request a token may not make: anything but GET/HEAD, whatever its scope. */
export function authorizeTokenRequest(scope: TokenScope, method: string): void {
  if (!SAFE_METHODS.has(method.toUpperCase())) {
    throw new AppError('TOKEN_SCOPE', `a ${scope} token only reads (GET); sign in to ${method.toUpperCase()}`);
  }
}

function authorizeTokenScope(actor: Actor, action: Action): void {
  const allowed = actor.token ? TOKEN_SCOPE_ACTIONS[actor.token.scope] : null;
  if (allowed && !allowed.includes(action)) throw new AppError('TOKEN_SCOPE', `a ${actor.token!.scope} token may not ${action.replace('.', ' ')}`);
}

/**
 * Resolves the caller's role in the project and checks the action (and a token's scope, after
 * membership, so a token learns no more about a project than its owner).
 * Non-members get 404, not 403: a project's existence is itself private.
 */
export async function authorize({ ctx, projectId, action }: { ctx: ServiceContext; projectId: string; action: Action }): Promise<{ actor: Actor; role: Role }> {
  const actor = requireActor({ ctx });
  const role = await projectRole({ ctx, projectId, userId: actor.userId });
  if (!role) throw notFound('project');
  authorizeTokenScope(actor, action);
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
 * Gold in a coder's calibration feedback (rule 11; the caller checked that she submitted the
 * item): an imported answer key, set for calibration, always; a decided adjudication only as
 * mayReadDisagreement allows, so never while the item is independent (it was sent back to
 * blind coding after a reveal or a joint session): a decision and its rationale are made from
 * the coders' values, which stay hidden until the reveal.
 */
export function mayReadGold(input: { source: GoldSource; viewerRole: Role; viewerIsItemCoder: boolean; phase: Phase }): boolean {
  return input.source === 'imported' || mayReadDisagreement(input);
}

/**
 * Creating an actor: managers always (`actors.manage`); anyone else only on the fly, from the
 * coding form of an item assigned to them, for a `link` field that allows it (`allowCreate`).
 */
export function authorizeActorCreate(caller: { role: Role }, onTheFly: { fieldAllowsCreate: boolean; assigned: boolean } | null): void {
  if (onTheFly && !onTheFly.assigned) throw forbidden('actors are created on the fly only while coding an item assigned to you');
  if (can(caller.role, 'actors.manage')) return;
  if (!onTheFly) throw forbidden(`a ${caller.role} may create actors only from the coding form, where a field allows it`);
  if (!onTheFly.fieldAllowsCreate) throw forbidden('this field does not let coders create actors');
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

/*
 * Who may receive each socket.io event (SECURITY.md, blind-coding rule 6). Every event is
 * sent only to sockets that joined its project; these functions narrow that further, and
 * realtime/ maps the answer to rooms without deciding anything itself.
 */

/** Actions that gate an event: a joined socket is in the project's room for each one its role allows. */
export const GATED_ACTIONS = ['adjudications.read', 'assignments.manage'] as const satisfies readonly Action[];
export type GatedAction = (typeof GATED_ACTIONS)[number];

/** An event's audience among the members who joined its project. */
export type EventAudience =
  /** Every member. */
  | { kind: 'project' }
  /** These members only. */
  | { kind: 'members'; userIds: readonly string[] }
  /** Members whose role allows `action`. */
  | { kind: 'roleAction'; action: GatedAction }
  /** One member, and members whose role allows `action`. */
  | { kind: 'memberAndAction'; userId: string; action: GatedAction };

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** What the comment, adjudication and session rules need at delivery: the project's members, the item's coders, its current phase. */
export interface CommentAudienceFacts {
  members: readonly { userId: string; role: Role }[];
  itemCoders: ReadonlySet<string>;
  phase: Phase;
}

const PROJECT: EventAudience = { kind: 'project' };

/**
 * The rule for every server->client event, one per event (a new event without one does not
 * compile). The second argument is what a rule needs beyond the payload.
 */
export const EVENT_AUDIENCES = {
  'item:phase': () => PROJECT,
  'session:opened': () => PROJECT,
  'session:closed': () => PROJECT,
  /**
   * Carries no values: dashboards refresh. A submission or reopening on an item coded blind
   * (`phase` independent) reaches its coder and those who manage assignments, like
   * `item:submitted`: told to the room, it would tell every coder when somebody submits, and
   * beside presence (who is on which item) whether a co-coder finished the item. A reveal (no
   * facts) and changes on items no longer blind reach every member.
   */
  'codings:changed': (_e: ServerEventPayload<'codings:changed'>, facts: { coderId: string; phase: Phase } | null) =>
    facts?.phase === 'independent' ? { kind: 'memberAndAction', userId: facts.coderId, action: 'assignments.manage' } : PROJECT,
  'project:presence': () => PROJECT,
  /** Not the whole project: "B submitted item X" would tell coders who else codes X. */
  'item:submitted': (e: ServerEventPayload<'item:submitted'>) => ({ kind: 'memberAndAction', userId: e.coderId, action: 'assignments.manage' }),
  /**
   * Managers, and the item's coders once they may read its disagreement (mayReadDisagreement):
   * ids and a status, no value, so a coder's inbox and calibration feedback follow decisions.
   */
  'adjudication:changed': (_e: ServerEventPayload<'adjudication:changed'>, facts: CommentAudienceFacts) => ({
    kind: 'members',
    userIds: facts.members
      .filter((m) => can(m.role, 'adjudications.read') || mayReadDisagreement({ viewerRole: m.role, viewerIsItemCoder: facts.itemCoders.has(m.userId), phase: facts.phase }))
      .map((m) => m.userId),
  }),
  /** Those who may list the comment now (mayReadCommentOf, with the item's phase at delivery). */
  'comment:added': (e: ServerEventPayload<'comment:added'>, facts: CommentAudienceFacts) => ({
    kind: 'members',
    userIds: facts.members.filter((m) => mayReadCommentOf(commentViewer(m, e.comment, facts))).map((m) => m.userId),
  }),
  /** Everyone in the joint session: the item's coders and the managers, only while the item is joint. */
  'session:decision': (_e: ServerEventPayload<'session:decision'>, facts: CommentAudienceFacts) => ({
    kind: 'members',
    userIds: facts.phase === 'joint' ? facts.members.filter((m) => facts.itemCoders.has(m.userId) || can(m.role, 'codings.readRevealed')).map((m) => m.userId) : [],
  }),
  /** Only the member whose access changed. */
  'project:removed': (_e: ServerEventPayload<'project:removed'>, facts: { userId: string }) => ({ kind: 'members', userIds: [facts.userId] }),
} satisfies { [E in ServerEventName]: (payload: ServerEventPayload<E>, facts: never) => EventAudience };

function commentViewer(m: { userId: string; role: Role }, comment: Comment, facts: CommentAudienceFacts): Parameters<typeof mayReadCommentOf>[0] {
  return {
    viewerId: m.userId,
    viewerRole: m.role,
    viewerIsItemCoder: facts.itemCoders.has(m.userId),
    authorId: comment.authorId,
    authorIsItemCoder: comment.authorId === null || facts.itemCoders.has(comment.authorId),
    phase: facts.phase,
  };
}

type AudienceRule<E extends ServerEventName> = (typeof EVENT_AUDIENCES)[E];
/** The facts event `E`'s rule takes beyond its payload (none for most). */
export type AudienceFacts<E extends ServerEventName> = Parameters<AudienceRule<E>> extends [unknown, infer F] ? [facts: F] : [];

/** Who may receive event `event` with `payload` (given the facts its rule needs). */
export function audienceOf<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>, ...facts: AudienceFacts<E>): EventAudience {
  return (EVENT_AUDIENCES[event] as (payload: ServerEventPayload<E>, ...facts: AudienceFacts<E>) => EventAudience)(payload, ...facts);
}

/** Whether a joined member is in an audience: the meaning of each kind, which realtime/rooms.ts implements with rooms. */
export function inAudience(audience: EventAudience, member: { userId: string; role: Role }): boolean {
  switch (audience.kind) {
    case 'project':
      return true;
    case 'members':
      return audience.userIds.includes(member.userId);
    case 'roleAction':
      return can(member.role, audience.action);
    case 'memberAndAction':
      return audience.userId === member.userId || can(member.role, audience.action);
  }
}
