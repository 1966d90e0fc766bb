import type { CodingValue } from '@concord/shared';

/**
 * What the domain verbs need from the live documents. Implemented by the rooms registry
 * (src/collab/rooms.ts); verbs depend on this interface only, never on the transport.
 */
export interface CollabDocs {
  /**
   * Applies a coder's values (null clears a field) to their coding document; resolves once
   * the change is persisted and projected onto the codings rows, and connected clients got it.
   * The caller has authorized the write.
   */
  writeCodingValues(input: { itemId: string; coderId: string; values: Record<string, CodingValue | null> }): Promise<void>;
  /**
   * An item's phase or assignments changed: open connections to its documents are re-checked,
   * on every process; when it resolves, every change they made before is stored.
   */
  itemAccessChanged(itemId: string): Promise<void>;
  /** A member's role changed or they left the project: their open connections to its documents are re-checked. */
  memberAccessChanged(input: { projectId: string; userId: string }): Promise<void>;
}
