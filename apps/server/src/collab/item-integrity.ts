/**
 * Authorship in the shared item document (issue 11, finding 9). Every entry of its roots
 * (ITEM_DOC: annotations, memos, discussion) is a plain JSON object whose `authorId` is its
 * author's user id. An update from a connection is checked before it is applied, and refused
 * as a whole (nothing applied, stored or relayed) when it
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
 * Most updates are decided from the decoded update and the room's document alone
 * (`plainlyAllowed`: a coder's own plain entries, text and keys outside the checked roots).
 * Whatever that cannot plainly allow goes to the exact check (`checkOnShadow`): the update is
 * applied to a shadow copy built from the room's document for that check, and the transaction
 * Yjs made is inspected. Roots outside ITEM_DOC are not read by the app and are not checked.
 * Coding documents have one writer (their coder) and are not checked at all.
 */
import * as Y from 'yjs';
import { ITEM_DOC } from '@concord/shared';
import type { DecodedUpdate } from './protocol.ts';

export type ItemDocVerdict = { verdict: 'apply' | 'wait' } | { verdict: 'refuse'; reason: string };

export interface ItemDocWriter {
  userId: string;
  /** May remove (never edit) other authors' entries. */
  mayModerate: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs's own type for a type of any event
type AnyType = Y.AbstractType<Y.YEvent<any>>;

/** The delete set of a decoded update (Yjs does not export the type). */
type DeleteSet = DecodedUpdate['ds'];

const CHECKED_ROOTS: ReadonlySet<string> = new Set(Object.values(ITEM_DOC));

const authorOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).authorId : undefined;

export class ItemDocGuard {
  constructor(private readonly doc: Y.Doc) {}

  /**
   * Whether this writer's update may be applied to the room's document: `apply`, `wait` (it
   * builds on content not here yet) or why it is refused. Nothing is applied here. `decoded`:
   * the update as `Y.decodeUpdate` read it already (the protocol's validation), if at hand.
   */
  check(update: Uint8Array, writer: ItemDocWriter, decoded?: DecodedUpdate): ItemDocVerdict {
    return plainlyAllowed(this.doc, update, writer, decoded) ? { verdict: 'apply' } : checkOnShadow(this.doc, update, writer);
  }
}

/**
 * The exact check: the update is applied to a shadow copy of the document, built for the
 * purpose, and the transaction Yjs made of it is inspected (what it created, deleted and
 * replaced, with every conflict resolved as it will be in the room's document).
 */
export function checkOnShadow(doc: Y.Doc, update: Uint8Array, writer: ItemDocWriter): ItemDocVerdict {
  const shadow = new Y.Doc();
  try {
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(doc));
    let refusal: string | null = null;
    shadow.on('afterTransaction', (tr: Y.Transaction) => {
      refusal = inspectTransaction(tr, shadow, writer);
    });
    Y.applyUpdate(shadow, update);
    if (refusal) return { verdict: 'refuse', reason: refusal };
    return { verdict: shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null ? 'wait' : 'apply' };
  } finally {
    shadow.destroy();
  }
}

/**
 * The common case without a shadow: true only when the decoded update is plainly allowed, i.e.
 * everything it builds on is in the document (or earlier in the update), it starts no later
 * than what the document holds of each client and repeats nothing partly, every new entry of a
 * checked root is a plain object of the writer's, every entry it replaces (a map key set again)
 * or deletes is the writer's own plain entry (or the writer moderates), and it touches no nested
 * type in a checked root. Anything else (false) goes to `checkOnShadow`, which decides exactly;
 * so this may be conservative, never permissive (item-integrity.test.ts compares the two on
 * random edits). Applying an update twice, to a shadow and then to the room, was a tenth of the
 * server's CPU under load.
 */
export function plainlyAllowed(doc: Y.Doc, update: Uint8Array, writer: ItemDocWriter, decoded?: DecodedUpdate): boolean {
  const { structs, ds } = decoded ?? Y.decodeUpdate(update);
  const store = doc.store;
  /** Per client: where the update's structs end (they start at or before the document's state). */
  const upTo = new Map<number, number>();
  const fresh = new Map<number, Y.Item[]>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) return false;
    const { client, clock } = struct.id;
    const state = Y.getState(store, client);
    if (clock > (upTo.get(client) ?? state)) return false;
    const end = clock + struct.length;
    if (end <= state) continue;
    if (clock < state) return false;
    upTo.set(client, end);
    if (struct instanceof Y.Item) {
      if (!fresh.has(client)) fresh.set(client, []);
      fresh.get(client)!.push(struct);
    }
  }
  const where = (id: Y.ID): 'doc' | 'update' | null =>
    id.clock < Y.getState(store, id.client) ? 'doc' : id.clock < (upTo.get(id.client) ?? 0) ? 'update' : null;
  const freshAt = (id: Y.ID): Y.Item | undefined => fresh.get(id.client)?.find((s) => s.id.clock <= id.clock && id.clock < s.id.clock + s.length);
  const docItemAt = (id: Y.ID): Y.Item | null => {
    const struct = Y.getItem(store, id);
    return struct instanceof Y.Item ? struct : null;
  };
  /** A neighbour the item names: none, in the update, or an item of the document. */
  const known = (id: Y.ID | null): boolean => {
    if (id === null) return true;
    const at = where(id);
    return at === 'update' || (at === 'doc' && docItemAt(id) !== null);
  };

  /** Where a new item lands: its parent type's checked root, or null for an unchecked one; undefined when unsure. */
  const placed = new Map<Y.Item, Place | null | undefined>();
  const placeOf = (item: Y.Item, depth = 0): Place | null | undefined => {
    if (placed.has(item)) return placed.get(item);
    let place: Place | null | undefined;
    if (depth > 64) place = undefined;
    else if (!known(item.origin) || !known(item.rightOrigin)) place = undefined;
    else if (typeof item.parent === 'string') {
      const type = doc.share.get(item.parent) as AnyType | undefined;
      place = CHECKED_ROOTS.has(item.parent) ? { root: item.parent, nested: false, type: type ?? null, sub: item.parentSub } : null;
    } else if (item.parent instanceof Y.ID) {
      const at = where(item.parent);
      const parent = at === 'doc' ? docItemAt(item.parent) : at === 'update' ? freshAt(item.parent) : undefined;
      if (!parent || !(parent.content instanceof Y.ContentType)) place = undefined;
      else if (at === 'doc') place = placeInDoc(parent.content.type as AnyType, item.parentSub, doc);
      else place = placeOf(parent, depth + 1) === null ? null : undefined;
    } else {
      // Placed next to its neighbour: the neighbour's parent and key.
      const neighbour = item.origin ?? item.rightOrigin;
      const at = neighbour ? where(neighbour) : null;
      if (at === 'doc') {
        const n = docItemAt(neighbour!);
        place = n ? placeInDoc(n.parent as AnyType, n.parentSub, doc) : undefined;
      } else if (at === 'update') {
        const n = freshAt(neighbour!);
        place = n ? placeOf(n, depth + 1) : undefined;
      } else place = undefined;
    }
    placed.set(item, place);
    return place;
  };

  for (const items of fresh.values()) {
    for (const item of items) {
      const place = placeOf(item);
      if (place === undefined) return false;
      const removed = deletedPart(ds, item.id.client, item.id.clock, item.length);
      if (removed === 'part') return false;
      if (place === null || removed === 'all' || item.content instanceof Y.ContentDeleted) continue;
      if (place.nested || !(item.content instanceof Y.ContentAny)) return false;
      if (!item.content.getContent().every((value) => authorOf(value) === writer.userId)) return false;
      if (place.sub !== null) {
        // Setting a key replaces its current entry.
        const current = place.type?._map.get(place.sub);
        if (current && !current.deleted && !mayRemove(current, 0, current.length, writer)) return false;
      }
    }
  }

  for (const [client, ranges] of ds.clients) {
    const state = Y.getState(store, client);
    const structsOf = store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (clock + len > Math.max(state, upTo.get(client) ?? state)) return false;
      const stop = Math.min(clock + len, state);
      if (clock >= stop || !structsOf) continue;
      for (let i = Y.findIndexSS(structsOf, clock); i < structsOf.length && structsOf[i]!.id.clock < stop; i++) {
        const struct = structsOf[i]!;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const place = placeInDoc(struct.parent as AnyType, struct.parentSub, doc);
        if (place === null) continue;
        const from = Math.max(0, clock - struct.id.clock);
        const to = Math.min(struct.length, clock + len - struct.id.clock);
        if (place.nested || !mayRemove(struct, from, to, writer)) return false;
      }
    }
  }
  return true;
}

/** A new or existing item's place: in a checked root (directly, or nested in it), with its parent type and key. */
interface Place {
  root: string;
  nested: boolean;
  type: AnyType | null;
  sub: string | null;
}

function placeInDoc(type: AnyType, sub: string | null, doc: Y.Doc): Place | null {
  const root = checkedRoot(type, doc);
  return root ? { root: root.name, nested: root.nested, type, sub } : null;
}

/** Whether the writer may remove these values of an entry: plain values, their own (or they moderate). */
function mayRemove(item: Y.Item, from: number, to: number, writer: ItemDocWriter): boolean {
  if (!(item.content instanceof Y.ContentAny)) return false;
  return writer.mayModerate || item.content.getContent().slice(from, to).every((value) => authorOf(value) === writer.userId);
}

/** How much of a client's clock range the update's own delete set removes (its ranges may overlap). */
function deletedPart(ds: DeleteSet, client: number, clock: number, length: number): 'none' | 'part' | 'all' {
  const ranges = ds.clients.get(client);
  if (!ranges) return 'none';
  const end = clock + length;
  const overlaps = ranges
    .map((r) => [Math.max(clock, r.clock), Math.min(end, r.clock + r.len)] as const)
    .filter(([from, to]) => from < to)
    .sort((a, b) => a[0] - b[0]);
  if (!overlaps.length) return 'none';
  let reached = clock;
  for (const [from, to] of overlaps) {
    if (from > reached) return 'part';
    reached = Math.max(reached, to);
  }
  return reached >= end ? 'all' : 'part';
}
/** The checked root a type is or lies in, or null. */
function checkedRoot(type: AnyType, doc: Y.Doc): { name: string; nested: boolean } | null {
  let t = type;
  let nested = false;
  while (t._item) {
    t = t._item.parent as AnyType;
    nested = true;
  }
  // A few lookups per call rather than a map of every root type built per update.
  for (const name of CHECKED_ROOTS) if (doc.share.get(name) === t) return { name, nested };
  return null;
}

function inspectTransaction(tr: Y.Transaction, doc: Y.Doc, writer: ItemDocWriter): string | null {
  for (const type of tr.changed.keys()) {
    const root = checkedRoot(type, doc);
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
      const root = checkedRoot(struct.parent as AnyType, doc);
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
    const root = checkedRoot(struct.parent as AnyType, doc);
    if (!root || writer.mayModerate) return;
    const mine = struct.content instanceof Y.ContentAny && struct.content.getContent().every((value) => authorOf(value) === writer.userId);
    if (!mine) refusal = `only its author removes or replaces an entry of ${root.name}`;
  });
  return refusal;
}
