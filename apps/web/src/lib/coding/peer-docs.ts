/**
 * The other coders' documents of one item visit, read-only: opened only once the phase allows
 * (joint or revealed; the server refuses them in the blind phase anyway), never pooled, and
 * closed when the visit ends.
 */
import { SvelteMap } from 'svelte/reactivity';
import { CODING_DOC, codingDocName, type FieldDefinition, type Phase } from '@concord/shared';
import type { ShownAnnotation } from '$lib/annotations.ts';
import { api, unwrap } from '$lib/api.ts';
import { openLiveDoc, type LiveDoc } from '$lib/collab.ts';
import { readValues, type Values } from '$lib/coding-form.ts';
import { watchTags } from './span-tags.ts';

export interface Peer {
  id: string;
  name: string;
  values: Values;
  /** The tags this coder made while the item was coded blind. */
  annotations: ShownAnnotation[];
  live: LiveDoc;
}

export interface PeerVisit {
  itemId: string;
  phase: Phase;
  meId: string;
  text: string;
  fields: readonly FieldDefinition[];
  /** The project's members (names of the coders). */
  members: readonly { userId: string; name: string }[];
}

export class PeerDocs {
  /** The peers shown, by coder id (reactive: the page lists their values). */
  readonly shown = new SvelteMap<string, Peer>();
  #visit: PeerVisit | null = null;
  /** Documents the server refused (someone present who is not one of the item's coders): never asked again this visit. */
  #refused = new Set<string>();

  /**
   * Starts a visit of an item; returns the way to open a peer's document during this visit
   * (a call that arrives after the visit ended, say a late API answer, opens nothing).
   */
  begin(visit: PeerVisit): (coderId: string) => void {
    this.end();
    this.#visit = visit;
    return (coderId) => {
      if (this.#visit === visit) this.#open(visit, coderId);
    };
  }

  /** Opens `coderId`'s document read-only, unless it is open, refused, one's own, or the item is blind. */
  #open(visit: PeerVisit, coderId: string): void {
    if (visit.phase === 'independent' || coderId === visit.meId || this.shown.has(coderId) || this.#refused.has(coderId)) return;
    const shown = this.shown;
    const refused = this.#refused;
    const live = openLiveDoc(codingDocName(visit.itemId, coderId), {
      // Not one of the item's coders (say, an editor who is only present): drop it.
      onRefused: () => {
        refused.add(coderId);
        live.destroy();
        if (shown.get(coderId)?.live === live) shown.delete(coderId);
      },
    });
    shown.set(coderId, { id: coderId, name: visit.members.find((m) => m.userId === coderId)?.name ?? 'Coder', values: {}, annotations: [], live });
    // Updates count only while this document is the one shown for that coder (not one of the item left behind).
    const update = (change: Partial<Peer>) => {
      const current = shown.get(coderId);
      if (current?.live === live) shown.set(coderId, { ...current, ...change });
    };
    const map = live.doc.getMap(CODING_DOC.values);
    map.observe(() => update({ values: readValues(visit.fields, map.entries()).values }));
    watchTags(live.doc.getArray(CODING_DOC.annotations), { text: visit.text, fields: visit.fields }, { kind: 'coding', coderId }, (annotations) => update({ annotations }));
  }

  /** Ends the visit: every peer document is closed. */
  end(): void {
    this.#visit = null;
    this.#refused = new Set();
    for (const p of this.shown.values()) p.live.destroy();
    this.shown.clear();
  }
}

/** The coders whose codings of the item the caller may see (none on failure: presence still finds them). */
export async function visibleCoders(input: { origin: string; projectId: string; itemId: string }): Promise<string[]> {
  const client = api(input.origin).api.projects[':projectId'].items[':itemId'].codings;
  try {
    const rows = await unwrap(client.$get({ param: { projectId: input.projectId, itemId: input.itemId } }));
    return rows.map((r) => r.coderId);
  } catch {
    return [];
  }
}
