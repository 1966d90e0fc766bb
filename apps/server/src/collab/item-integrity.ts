/**
 * Authorship in the shared item document (issue 11, finding 9). Every entry of its roots
 * (ITEM_DOC: annotations, memos, discussion) is a plain JSON object whose `authorId` is its
 * author's user id. An update from a connection is tried on a shadow copy of the document
 * first, and refused as a whole (nothing applied, stored or relayed) when it
 *
 * - creates an entry that is not such an object, or whose `authorId` is not the connection's
 *   user (no forged authors; no nested Yjs types whose contents would escape the check);
 * - removes or replaces an entry of another author, unless the member may moderate the item
 *   document (`itemDoc.moderate`: owners and editors remove others' entries; nobody edits them);
 *
 * An update that builds on content the server does not have yet is not applied at all (Yjs
 * would integrate it with a later update, possibly another member's, and the check would
 * credit that member): it waits (`wait`) until that content arrives. This is ordinary: a client
 * that edits while reconnecting sends its new edit before its sync reply with the offline
 * edits the new one builds on, and a client on another process may build on a batch still on
 * its way through Redis. The room holds such updates per connection (waiting-updates.ts).
 *
 * The shadow follows every change the room applies, so a check costs one more application
 * of the update; after a refusal it is rebuilt from the room's document. Roots outside
 * ITEM_DOC are not read by the app and are not checked. Coding documents have one writer
 * (their coder) and are not checked at all.
 */
import * as Y from 'yjs';
import { ITEM_DOC } from '@concord/shared';

export type ItemDocVerdict = { verdict: 'apply' | 'wait' } | { verdict: 'refuse'; reason: string };

export interface ItemDocWriter {
  userId: string;
  /** May remove (never edit) other authors' entries. */
  mayModerate: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs's own type for a type of any event
type AnyType = Y.AbstractType<Y.YEvent<any>>;

const CHECKED_ROOTS: ReadonlySet<string> = new Set(Object.values(ITEM_DOC));

const authorOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).authorId : undefined;

export class ItemDocGuard {
  private shadow: Y.Doc | null = null;

  constructor(private readonly doc: Y.Doc) {}

  /** A change the room applied that did not come through `check` (load, other processes, the server). */
  follow(update: Uint8Array): void {
    if (this.shadow) Y.applyUpdate(this.shadow, update);
  }

  /**
   * Whether this writer's update may be applied: `apply` (it is then in the shadow already),
   * `wait` (it builds on content not here yet) or why it is refused.
   */
  check(update: Uint8Array, writer: ItemDocWriter): ItemDocVerdict {
    const shadow = this.ensureShadow();
    let refusal: string | null = null;
    const inspect = (tr: Y.Transaction) => {
      refusal = inspectTransaction(tr, shadow, writer);
    };
    shadow.on('afterTransaction', inspect);
    try {
      Y.applyUpdate(shadow, update);
    } finally {
      shadow.off('afterTransaction', inspect);
    }
    const waits = !refusal && (shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null);
    if (refusal || waits) {
      // The shadow took the change (or part of it): start again from the room's document.
      shadow.destroy();
      this.shadow = null;
    }
    return refusal ? { verdict: 'refuse', reason: refusal } : { verdict: waits ? 'wait' : 'apply' };
  }

  destroy(): void {
    this.shadow?.destroy();
    this.shadow = null;
  }

  private ensureShadow(): Y.Doc {
    if (!this.shadow) {
      this.shadow = new Y.Doc();
      Y.applyUpdate(this.shadow, Y.encodeStateAsUpdate(this.doc));
    }
    return this.shadow;
  }
}

/** The checked root a type is or lies in, or null. */
function checkedRoot(type: AnyType, names: Map<AnyType, string>): { name: string; nested: boolean } | null {
  let t = type;
  let nested = false;
  while (t._item) {
    t = t._item.parent as AnyType;
    nested = true;
  }
  const name = names.get(t);
  return name !== undefined && CHECKED_ROOTS.has(name) ? { name, nested } : null;
}

function inspectTransaction(tr: Y.Transaction, doc: Y.Doc, writer: ItemDocWriter): string | null {
  const names = new Map<AnyType, string>([...doc.share].map(([name, type]) => [type, name]));
  for (const type of tr.changed.keys()) {
    const root = checkedRoot(type, names);
    if (root?.nested) return `${root.name} holds plain entries only`;
  }
  // Created in this transaction: every new struct of every client, from its clock before.
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = doc.store.clients.get(client)!;
    for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i]!.id.clock < after; i++) {
      const struct = structs[i];
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      const root = checkedRoot(struct.parent as AnyType, names);
      if (!root) continue;
      if (!(struct.content instanceof Y.ContentAny)) return `${root.name} holds plain entries only`;
      for (const value of struct.content.getContent()) {
        if (authorOf(value) !== writer.userId) return `a new entry of ${root.name} must carry your own authorId`;
      }
    }
  }
  // Removed (or replaced) entries that existed before.
  let refusal: string | null = null;
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (refusal || !(struct instanceof Y.Item) || struct.id.clock >= (tr.beforeState.get(struct.id.client) ?? 0)) return;
    const root = checkedRoot(struct.parent as AnyType, names);
    if (!root || writer.mayModerate) return;
    const mine = struct.content instanceof Y.ContentAny && struct.content.getContent().every((value) => authorOf(value) === writer.userId);
    if (!mine) refusal = `only its author removes or replaces an entry of ${root.name}`;
  });
  return refusal;
}
