/**
 * A joint session on an item (issue 13, item 4), in the browser: the item's joint layer
 * (`joint:<itemId>`, JOINT_DOC.values) that its coders and editors change together, who is
 * on which field (its presence), and the decisions recorded meanwhile, refetched whenever
 * the server says one changed (`session:decision`). The coders' own submissions are not here:
 * they stay as submitted.
 */
import { JOINT_DOC, jointDocName, type Adjudication, type CodingValue, type Phase } from '@concord/shared';
import { api, unwrap } from '$lib/api.ts';
import { openLiveDoc, type LiveDoc } from '$lib/collab.ts';
import { messageOf } from '$lib/errors.ts';
import { onProjectEvent } from '$lib/realtime.ts';
import { FormUndo, type UndoState } from './form-undo.ts';
import { FocusPresence, othersPresent, type Present } from './presence.ts';

export interface JointSource {
  origin: string;
  projectId: string;
  itemId: string;
  phase: Phase;
  me: { id: string; name: string };
}

export class JointSession {
  values = $state<Record<string, CodingValue>>({});
  present = $state<Present[]>([]);
  decisions = $state<Adjudication[]>([]);
  /** Why the server refused the joint layer (closed it), if it did. */
  refusal = $state('');
  failure = $state('');
  /** Undo of this tab's own changes of the layer: never someone else's (form-undo.ts). */
  undoState = $state<UndoState>({ canUndo: false, fieldKey: '' });

  readonly #source: JointSource;
  #live: LiveDoc | null = null;
  #undo: FormUndo | null = null;
  #presence: FocusPresence | null = null;
  #stops: (() => void)[] = [];

  constructor(source: JointSource) {
    this.#source = source;
  }

  /** Opens the layer, presence and the decisions; returns the way to close them all. */
  open(): () => void {
    const { projectId, itemId, phase, me } = this.#source;
    const live = openLiveDoc(jointDocName(itemId), { onRefused: (r) => (this.refusal = r.reason || 'the joint session is closed to you') });
    this.#live = live;
    const map = live.doc.getMap(JOINT_DOC.values);
    const undo = new FormUndo({ doc: live.doc, map, onChange: (state) => (this.undoState = state) });
    this.#undo = undo;
    const read = () => (this.values = map.toJSON() as Record<string, CodingValue>);
    map.observe(read);
    read();
    const awareness = live.provider.awareness;
    this.#presence = new FocusPresence({ awareness, phase, me });
    const onPresence = () => (this.present = othersPresent(awareness, me.id));
    awareness.on('change', onPresence);
    this.#stops.push(
      () => undo.destroy(),
      () => map.unobserve(read),
      () => awareness.off('change', onPresence),
      onProjectEvent(projectId, 'session:decision', (e) => {
        if (e.itemId === itemId) void this.loadDecisions();
      }),
    );
    void this.loadDecisions();
    return () => this.close();
  }

  async loadDecisions(): Promise<void> {
    const { origin, projectId, itemId } = this.#source;
    try {
      this.decisions = await unwrap(api(origin).api.projects[':projectId'].items[':itemId'].adjudications.$get({ param: { projectId, itemId } }));
    } catch (err) {
      this.failure = messageOf(err);
    }
  }

  decisionOf(fieldKey: string): Adjudication | null {
    return this.decisions.find((d) => d.fieldKey === fieldKey && d.status === 'decided') ?? null;
  }

  /** Sets (or, with undefined, clears) a field's joint value for everyone in the session. */
  set(fieldKey: string, value: CodingValue | undefined): void {
    this.#undo?.write(fieldKey, value);
  }

  /** Undoes this tab's last change of the layer that nobody has replaced since. */
  undo(): void {
    this.#undo?.undo();
  }

  focus(fieldKey: string | null): void {
    this.#presence?.focus(fieldKey);
  }

  /** Records the field's joint value as the decision (editors), with a rationale. */
  async decide(fieldKey: string, rationale: string): Promise<void> {
    const { origin, projectId, itemId } = this.#source;
    this.failure = '';
    try {
      const client = api(origin).api.projects[':projectId'].items[':itemId'].adjudications[':fieldKey'];
      await unwrap(client.$put({ param: { projectId, itemId, fieldKey }, json: { value: this.values[fieldKey] ?? null, rationale } }));
      await this.loadDecisions();
    } catch (err) {
      this.failure = messageOf(err);
    }
  }

  close(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.#presence?.leave();
    this.#presence = null;
    this.#live?.destroy();
    this.#live = null;
    this.#undo = null;
  }
}
