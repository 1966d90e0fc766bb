/**
 * Actors in the browser: the search the Actors page and the coding form's link field share,
 * and how a link value's ids (some perhaps merged away since) read as actors.
 */
import type { Actor, ActorKind } from '@concord/shared';

/** What the actor form sends: the create and edit inputs without the coding form's `field` and `itemId`. */
export interface ActorDraft {
  name: string;
  kind: ActorKind | null;
  affiliation: string | null;
  stance: string | null;
  notes: string;
  aliases: string[];
}

const fold = (s: string) => s.toLocaleLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');

/** Whether the actor's name or one of its aliases contains the query (case and accents ignored). */
export function matchesActor(actor: Pick<Actor, 'name' | 'aliases'>, query: string): boolean {
  const q = fold(query.trim());
  if (!q) return true;
  return [actor.name, ...actor.aliases].some((n) => fold(n).includes(q));
}

/** Actors matching the query, names that start with it first, then by name. */
export function searchActors<A extends Pick<Actor, 'name' | 'aliases'>>(actors: readonly A[], query: string, limit = Infinity): A[] {
  const q = fold(query.trim());
  const starts = (a: A) => (q && [a.name, ...a.aliases].some((n) => fold(n).startsWith(q)) ? 0 : 1);
  return actors
    .filter((a) => matchesActor(a, query))
    .sort((a, b) => starts(a) - starts(b) || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** Whether an actor of exactly this name (case ignored) is listed: then create-on-the-fly is not offered. */
export function hasActorNamed(actors: readonly Pick<Actor, 'name'>[], name: string): boolean {
  const n = fold(name.trim());
  return actors.some((a) => fold(a.name) === n);
}

/** Every id a value may hold (the actor's own and those merged into it) to its actor. */
export function actorIndex<A extends Pick<Actor, 'id' | 'mergedIds'>>(actors: readonly A[]): Map<string, A> {
  const index = new Map<string, A>();
  for (const a of actors) {
    index.set(a.id, a);
    for (const m of a.mergedIds) index.set(m, a);
  }
  return index;
}
