/**
 * The live session of the item shown in the coding view: the caller's own coding document
 * (values, blind tags, sync state), the item document (presence, shared tags), the other
 * coders' documents once the phase allows, and the writes the form makes. The page renders
 * this state and calls its verbs; `open` runs once per item shown.
 */
import { untrack } from 'svelte';
import { invalidateAll } from '$app/navigation';
import {
  annotationHome,
  CODING_DOC,
  ITEM_DOC,
  itemDocBlindFor,
  itemDocWriteRefusal,
  type Action,
  type CodingValue,
  type FieldDefinition,
  type Phase,
} from '@concord/shared';
import { mergeAnnotations, withFrame, type MenuChoice, type ShownAnnotation } from '$lib/annotations.ts';
import type { LiveDoc, SyncState } from '$lib/collab.ts';
import { parseNumber, pick, readValues, type Values } from '$lib/coding-form.ts';
import { poolableDocs } from '$lib/doc-pool.ts';
import { CodingDocs } from './coding-docs.ts';
import { PeerDocs, visibleCoders } from './peer-docs.ts';
import { FormUndo, type UndoState } from './form-undo.ts';
import { FocusPresence, othersPresent, type Present } from './presence.ts';
import { newTag, removeTagFrom, tagInCodingDoc, watchTags } from './span-tags.ts';
import { submitCodings } from './submit.ts';
import { TextDrafts } from './text-drafts.ts';

/** What the session is of: the page's data (see the route's +page.ts). */
export interface SessionSource {
  origin: string;
  item: { id: string; phase: Phase; body: string; textVersion: number };
  project: { id: string; actions: readonly Action[] };
  me: { id: string; name: string };
  /** The caller's assignment to the item, if any. */
  mine: { submittedAt: string | null; reopenedAt: string | null } | null;
  assignments: readonly { coderId: string }[];
  members: readonly { userId: string; name: string }[];
  fields: readonly FieldDefinition[];
}

/** Sync states in which the own coding document holds nothing that a reload could lose. */
const SETTLED_STATES: ReadonlySet<SyncState> = new Set(['saved', 'offline', 'closed']);

export class ItemSession {
  values = $state<Values>({});
  syncState = $state<SyncState>('connecting');
  /** Why the server closed the own coding document, if it did. */
  refusal = $state('');
  /** The others on the item. */
  present = $state<Present[]>([]);
  numberErrors = $state<Record<string, string>>({});
  submittedAt = $state<string | null>(null);
  submitting = $state(false);
  submitError = $state('');
  submitNotice = $state('');
  /** Span tags of the item document, and of the own coding document (blind phase). */
  itemTags = $state<ShownAnnotation[]>([]);
  ownTags = $state<ShownAnnotation[]>([]);
  /** Whether the form has a change of this visit to undo, and of which field. */
  undoState = $state<UndoState>({ canUndo: false, fieldKey: '' });
  /** What the last undo did, for the screen reader's status line. */
  undoNote = $state('');
  readonly peers = new PeerDocs();

  readonly #source: () => SessionSource;
  readonly #docs = new CodingDocs();
  readonly #drafts = new TextDrafts<FieldDefinition>((field, text) => this.setValue(field, text));
  #ownDoc: LiveDoc | null = null;
  #undo: FormUndo | null = null;
  #itemDoc: LiveDoc | null = null;
  #presence: FocusPresence | null = null;
  #shownItem = '';
  /** `settle` calls waiting for the own coding document to be saved. */
  readonly #settling: (() => void)[] = [];

  constructor(source: () => SessionSource) {
    this.#source = source;
  }

  readonly assigned = $derived.by(() => this.#source().mine !== null);
  /** The server's rule (codingFrozenReason): submitted, or revealed unless an editor reopened the submission. */
  readonly reopened = $derived.by(() => (this.#source().mine?.reopenedAt ?? null) !== null);
  readonly frozen = $derived.by(
    () => !this.assigned || this.submittedAt !== null || (this.#source().item.phase === 'revealed' && !this.reopened) || this.refusal !== '',
  );
  // The server's rule (the project's actions are its policy for this member): writing where
  // the server refuses would close the item document's connection, and presence with it.
  readonly itemDocWritable = $derived.by(() => {
    const { project, item } = this.#source();
    return !this.itemDocBlind && itemDocWriteRefusal((a) => project.actions.includes(a), item.phase) === null;
  });
  /** The shared document's content is withheld from the item's coders while blind (the server sends presence only). */
  readonly itemDocBlind = $derived.by(() => itemDocBlindFor({ phase: this.#source().item.phase, itemCoder: this.assigned }));
  readonly tagHome = $derived.by(() => annotationHome({ phase: this.#source().item.phase, itemCoder: this.assigned, codingWritable: !this.frozen, itemDocWritable: this.itemDocWritable }));
  // What this browser still holds of the shared document (from an earlier phase, or its offline
  // copy) is not shown while the item is coded blind.
  readonly annotations = $derived(mergeAnnotations(this.itemDocBlind ? [] : this.itemTags, this.ownTags, ...[...this.peers.shown.values()].map((p) => p.annotations)));

  /** Opens the live documents of the item shown; returns the cleanup. */
  open(): () => void {
    return untrack(() => this.#open());
  }

  #open(): () => void {
    const { item, project, me, mine, assignments, members, fields, origin } = this.#source();
    // The same item's data again (after a submit or a phase change): new documents, as access may have changed.
    const reload = item.id === this.#shownItem;
    this.values = {};
    this.syncState = 'connecting';
    this.refusal = '';
    if (!reload) {
      // A reload of the same item's data (after a submit) keeps the messages.
      this.#shownItem = item.id;
      this.submitError = '';
      this.submitNotice = '';
    }
    this.numberErrors = {};
    this.undoState = { canUndo: false, fieldKey: '' };
    this.undoNote = '';
    this.submittedAt = mine?.submittedAt ?? null;
    this.present = [];
    this.itemTags = [];
    this.ownTags = [];
    const tagCtx = { text: item.body, fields };
    this.#docs.enterProject(project.id);
    const docs = poolableDocs({ itemId: item.id, meId: me.id, assigned: mine !== null });

    let stopOwn = () => {};
    if (docs.own) {
      const ownName = docs.own;
      const live = this.#docs.acquireOwn(ownName, reload);
      this.#ownDoc = live;
      const stopWatch = live.watch({
        onState: (s) => {
          this.syncState = s;
          this.#checkSettled();
        },
        onRefused: (r) => (this.refusal = r.reason || `the server closed the document (${r.code})`),
      });
      const map = live.doc.getMap(CODING_DOC.values);
      // Undo reaches back to this visit's first change only (a new one per item shown).
      const undo = new FormUndo({ doc: live.doc, map, onChange: (state) => (this.undoState = state) });
      this.#undo = undo;
      const read = () => (this.values = readValues(fields, map.entries()).values);
      map.observe(read);
      read();
      const stopTags = watchTags(live.doc.getArray(CODING_DOC.annotations), tagCtx, { kind: 'coding', coderId: me.id }, (list) => (this.ownTags = list));
      stopOwn = () => {
        undo.destroy();
        this.#undo = null;
        map.unobserve(read);
        stopTags();
        stopWatch();
        this.#docs.release(ownName);
      };
    }

    // Presence lives on the item document, which every member may open.
    const itemLive = this.#docs.acquireItem(docs.item, reload);
    this.#itemDoc = itemLive;
    const stopItemTags = watchTags(itemLive.doc.getArray(ITEM_DOC.annotations), tagCtx, { kind: 'item' }, (list) => (this.itemTags = list));
    const openPeer = this.peers.begin({ itemId: item.id, phase: item.phase, meId: me.id, text: item.body, fields, members });
    const awareness = itemLive.provider.awareness;
    const presence = new FocusPresence({ awareness, phase: item.phase, me });
    this.#presence = presence;
    const readPresence = () => {
      this.present = othersPresent(awareness, me.id);
      for (const p of this.present) openPeer(p.id);
    };
    awareness.on('change', readPresence);
    readPresence(); // a pooled document may know who is here already

    if (item.phase !== 'independent') {
      // Managers get every assignment; coders learn the others from the codings they may see and from presence.
      for (const a of assignments) openPeer(a.coderId);
      void visibleCoders({ origin, projectId: project.id, itemId: item.id }).then((ids) => ids.forEach(openPeer));
    }

    return () => {
      awareness.off('change', readPresence);
      this.#drafts.flush();
      stopOwn();
      this.#ownDoc = null;
      this.#checkSettled();
      // Off this item for the others; the document itself stays pooled.
      presence.leave();
      this.#presence = null;
      stopItemTags();
      this.#docs.release(docs.item);
      this.#itemDoc = null;
      this.peers.end();
    };
  }

  /** Opens the documents of the item likely shown next (j), idle, so switching only renders. */
  warm(itemId: string, assigned: boolean): void {
    this.#docs.warm({ itemId, meId: this.#source().me.id, assigned });
  }

  /** The page is left: closes every pooled document, after the effects' cleanups (which still write a text draft). */
  close(): void {
    queueMicrotask(() => this.#docs.closeAll());
  }

  /**
   * Writes the text drafts, then resolves once the own coding document has nothing unsent: saved,
   * or offline (a persisted document: kept on this device, sent when back), or closed by the
   * server (nothing more can be written). Before the app reloads ($lib/app-reload.ts).
   */
  settle(): Promise<void> {
    this.#drafts.flush();
    return new Promise((resolve) => {
      this.#settling.push(resolve);
      this.#checkSettled();
    });
  }

  #checkSettled(): void {
    if (this.#ownDoc && !SETTLED_STATES.has(this.syncState)) return;
    for (const resolve of this.#settling.splice(0)) resolve();
  }

  /** The field this tab is on (see FocusPresence for what is published). */
  focus(fieldKey: string | null): void {
    this.#presence?.focus(fieldKey);
  }

  setValue(field: FieldDefinition, value: CodingValue | undefined): void {
    if (this.frozen) return;
    this.undoNote = '';
    this.#undo?.write(field.key, value);
  }

  /** Undoes the coder's last change of this visit (her own document, her own writes only). */
  undo(): void {
    if (this.frozen || !this.#undo) return;
    // A text draft not yet written is the latest change: write it first, so it is what undo takes back.
    this.#drafts.flush();
    const fieldKey = this.#undo.undo();
    if (fieldKey === null) return;
    const { fields } = this.#source();
    const label = fields.find((f) => f.key === fieldKey)?.label ?? fieldKey;
    this.undoNote = `Undone: your last change of ${label}.`;
  }

  choose(field: FieldDefinition, choice: CodingValue): void {
    this.setValue(field, pick(field, this.values[field.key], choice));
  }

  typeNumber(field: FieldDefinition, raw: string): void {
    const parsed = parseNumber(field, raw);
    if ('error' in parsed) {
      this.numberErrors = { ...this.numberErrors, [field.key]: parsed.error };
      return;
    }
    const { [field.key]: _dropped, ...rest } = this.numberErrors;
    this.numberErrors = rest;
    this.setValue(field, parsed.value);
  }

  /** Text is written after a pause in typing (text-drafts.ts). */
  typeText(field: FieldDefinition, raw: string): void {
    this.#drafts.type(field, raw);
  }

  commitText(field: FieldDefinition): void {
    this.#drafts.flush(field.key);
  }

  clear(field: FieldDefinition): void {
    this.#drafts.drop(field.key);
    this.setValue(field, undefined);
  }

  /**
   * Tags a span with a frame where the phase says (annotationHome), and codes the frame in the
   * coder's own set when it is not there yet: researchers count a tag as coding its frame.
   * In the blind phase both land in one transaction of the coder's own document.
   */
  tagSpan(span: { from: number; to: number }, choice: MenuChoice): void {
    const { me, fields } = this.#source();
    const tag = newTag(span, choice, me.id);
    if (this.tagHome === 'coding' && this.#ownDoc) {
      tagInCodingDoc(this.#ownDoc.doc, tag);
    } else if (this.tagHome === 'item' && this.#itemDoc) {
      this.#itemDoc.doc.getArray(ITEM_DOC.annotations).push([tag]);
      const field = fields.find((f) => f.key === choice.fieldKey);
      const next = withFrame(this.values[choice.fieldKey], choice.value);
      if (field && next && !this.frozen) this.setValue(field, next);
    }
  }

  /** One's own tags, where one may still write them. Removing a tag leaves the coded frame as it is. */
  mayRemoveTag(a: ShownAnnotation): boolean {
    const meId = this.#source().me.id;
    if (a.authorId !== meId) return false;
    return a.source.kind === 'item' ? this.itemDocWritable : a.source.coderId === meId && !this.frozen;
  }

  removeTag(a: ShownAnnotation): void {
    if (!this.mayRemoveTag(a)) return;
    const doc = a.source.kind === 'item' ? this.#itemDoc : this.#ownDoc;
    if (doc) removeTagFrom(doc.doc.getArray(a.source.kind === 'item' ? ITEM_DOC.annotations : CODING_DOC.annotations), a.id);
  }

  async submit(): Promise<void> {
    if (this.frozen || this.submitting) return;
    this.#drafts.flush();
    this.submitting = true;
    this.submitError = '';
    this.submitNotice = '';
    const { origin, project, item } = this.#source();
    const result = await submitCodings({ origin, projectId: project.id, itemId: item.id, itemVersion: item.textVersion, values: $state.snapshot(this.values) });
    this.submitting = false;
    if ('error' in result) {
      this.submitError = result.error;
      // Load the item again (its new text, or the submit made elsewhere); the message stays.
      if (result.stale) void invalidateAll();
      return;
    }
    this.submittedAt = result.submittedAt;
    this.submitNotice = result.notice;
    // The phase and the assignment changed on the server: load them again (this reopens the documents).
    void invalidateAll();
  }
}
