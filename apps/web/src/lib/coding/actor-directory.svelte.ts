/**
 * The project's actors as the coding form's link fields use them: loaded once per page, searched
 * as the coder types, and extended by create-on-the-fly. Provided by the coding view through
 * context (with the item being coded, which on-the-fly creation names); a form without one (the
 * codebook preview, a decision) makes its own that only reads.
 */
import { getContext, setContext } from 'svelte';
import type { Actor, FieldDefinition } from '@concord/shared';
import { actorIndex } from '$lib/actors.ts';
import { api, unwrap } from '$lib/api.ts';
import { messageOf } from '$lib/errors.ts';

export class ActorDirectory {
  actors = $state<Actor[]>([]);
  loaded = $state(false);
  error = $state('');
  /** Every id a value may hold (merged ones too) to its actor. */
  readonly index = $derived(actorIndex(this.actors));
  /** The project whose actors are loaded (or loading). */
  #loadedFor: string | null = null;

  readonly #origin: string;
  readonly #project: () => string;
  readonly #item: () => string | null;
  readonly #manager: () => boolean;

  /**
   * The page's project and item are read when used, as the coding view stays mounted from item
   * to item (j/k). `item`: the item being coded, where creating on the fly makes sense.
   * `manager`: the caller may manage actors (then any link field may create, as on the Actors page).
   */
  constructor(origin: string, project: () => string, item: () => string | null = () => null, manager: () => boolean = () => false) {
    this.#origin = origin;
    this.#project = project;
    this.#item = item;
    this.#manager = manager;
  }

  get projectId(): string {
    return this.#project();
  }

  /** Loads the project's actors, once per project. */
  async load(): Promise<void> {
    const projectId = this.#project();
    if (!projectId || this.#loadedFor === projectId) return;
    this.#loadedFor = projectId;
    try {
      const body = await unwrap(api(this.#origin).api.projects[':projectId'].actors.$get({ param: { projectId }, query: {} }));
      if (this.#loadedFor !== projectId) return;
      this.actors = body.actors;
      this.loaded = true;
      this.error = '';
    } catch (err) {
      this.#loadedFor = null;
      this.error = messageOf(err);
    }
  }

  nameOf = (id: string): string => this.index.get(id)?.name ?? id;

  canCreate(field: FieldDefinition): boolean {
    return this.#item() !== null && field.type === 'link' && (field.allowCreate || this.#manager());
  }

  /** Creates an actor while coding `field` (hidden from the others while the item is coded blind). */
  async create(field: FieldDefinition, name: string): Promise<Actor> {
    const itemId = this.#item();
    if (!itemId) throw new Error('actors are created on the fly only while coding an item');
    const actor = await unwrap(api(this.#origin).api.projects[':projectId'].actors.$post({ param: { projectId: this.#project() }, json: { name, field: field.key, itemId } }));
    this.actors = [...this.actors, actor];
    return actor;
  }
}

const KEY = Symbol('actor-directory');

export function setActorDirectory(directory: ActorDirectory): ActorDirectory {
  return setContext(KEY, directory);
}

export function getActorDirectory(): ActorDirectory | undefined {
  return getContext<ActorDirectory | undefined>(KEY);
}
