/**
 * The in-process domain event bus. Service verbs publish what happened, after it is
 * committed; transports (the socket.io project rooms) subscribe and decide who hears what.
 * Verbs publish through `ctx.events`: inside `inTransaction` that is a buffer flushed only
 * when the transaction commits (and dropped when it rolls back), so a subscriber never
 * sees an event whose data a reader could not find yet, or ever.
 */
import type { Comment, Phase } from '@concord/shared';
import type { Logger } from '../logger.ts';

export type DomainEvent =
  /**
   * A coder submitted their codings of an item (`revealed`: that submit revealed the item;
   * `phase`: the item's phase when she submitted, before any reveal the submit made).
   */
  | { type: 'coding.submitted'; projectId: string; itemId: string; coderId: string; revealed: boolean; phase: Phase }
  /** An item's phase changed: a joint session opened (to 'joint') or closed (from 'joint'), a reveal, a reset. */
  | { type: 'item.phaseChanged'; projectId: string; itemId: string; from: Phase; to: Phase }
  /** Codings changed in a way dashboards show, other than a submit (a reopened submission): whose, and the item's phase then. */
  | { type: 'codings.changed'; projectId: string; coderId: string; phase: Phase }
  | { type: 'comment.added'; projectId: string; itemId: string; comment: Comment }
  | { type: 'adjudication.changed'; projectId: string; itemId: string; fieldKey: string; status: 'decided' | 'reopened' }
  /** A member's role changed or they were removed. */
  | { type: 'member.accessChanged'; projectId: string; userId: string }
  /**
   * An invitation link was made (services/mail/ mails it). Carries the one-time token: this
   * bus is in-process only, and no transport but mail may pass it on.
   */
  | { type: 'invitation.created'; projectId: string; invitationId: string; userId: string; email: string; token: string; expiresAt: string; inviterId: string | null }
  /**
   * Somebody asked for a password-reset link for this address (the public route answers before
   * any work for it: services/auth/password-reset-link.ts `passwordResetOnEvents`).
   */
  | { type: 'passwordReset.asked'; email: string }
  /** Somebody asked for a password-reset link for an existing account (mailed by services/mail/; token as above). */
  | { type: 'passwordReset.requested'; userId: string; email: string; token: string; expiresAt: string };

export type DomainEventType = DomainEvent['type'];

/** What verbs see: publish only. */
export interface EventPublisher {
  publish(event: DomainEvent): void;
}

export type DomainEventHandler = (event: DomainEvent) => void | Promise<void>;

export interface DomainEvents extends EventPublisher {
  /** Calls `handler` for every published event until the returned function is called. */
  subscribe(handler: DomainEventHandler): () => void;
  /** Resolves once every handler started so far has finished (tests and shutdown). */
  idle(): Promise<void>;
}

/**
 * Handlers run after `publish` returns (a verb never waits for, or fails because of, a
 * subscriber); a failing handler is logged, never rethrown.
 */
export function createDomainEvents(logger: Logger): DomainEvents {
  const handlers = new Set<DomainEventHandler>();
  const running = new Set<Promise<void>>();
  return {
    publish(event) {
      for (const handler of handlers) {
        const run: Promise<void> = Promise.resolve()
          .then(() => handler(event))
          .catch((err: unknown) => logger.error({ err, event: event.type }, 'domain event handler failed'))
          .finally(() => running.delete(run));
        running.add(run);
      }
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async idle() {
      while (running.size) await Promise.all([...running]);
    },
  };
}

/** A publisher that holds events until `flush` (after a commit) or drops them (`discard`). */
export function bufferedPublisher(target: EventPublisher | undefined): EventPublisher & { flush(): void } {
  const pending: DomainEvent[] = [];
  return {
    publish: (event) => void pending.push(event),
    flush() {
      for (const event of pending.splice(0)) target?.publish(event);
    },
  };
}
