import { describe, expect, it } from 'vitest';
import { actorIndex, hasActorNamed, matchesActor, searchActors } from './actors.ts';

const actor = (id: string, name: string, aliases: string[] = [], mergedIds: string[] = []) => ({ id, name, aliases, mergedIds });

describe('actor search', () => {
  const actors = [actor('1', 'Kazinform', ['Казинформ']), actor('2', 'Akorda'), actor('3', 'Ministry of Information', ['MIOD']), actor('4', 'Qazaq Times')];

  it('matches names and aliases, ignoring case and accents', () => {
    expect(matchesActor(actors[0]!, 'КАЗИН')).toBe(true);
    expect(matchesActor(actor('5', 'Zhaña Qazaqstan'), 'zhana')).toBe(true);
    expect(matchesActor(actors[1]!, 'miod')).toBe(false);
    expect(searchActors(actors, 'miod').map((a) => a.id)).toEqual(['3']);
  });

  it('puts names that start with the query first, then sorts by name', () => {
    expect(searchActors(actors, 'a').map((a) => a.name)).toEqual(['Akorda', 'Kazinform', 'Ministry of Information', 'Qazaq Times']);
    expect(searchActors(actors, 'in').map((a) => a.name)).toEqual(['Kazinform', 'Ministry of Information']);
    expect(searchActors(actors, '', 2)).toHaveLength(2);
  });

  it('knows an exact name, whatever its case', () => {
    expect(hasActorNamed(actors, ' akorda ')).toBe(true);
    expect(hasActorNamed(actors, 'Akord')).toBe(false);
  });

  it('reads a merged id as the actor it went into', () => {
    const index = actorIndex([actor('a', 'Tokayev', [], ['b', 'c'])]);
    expect(index.get('b')?.name).toBe('Tokayev');
    expect(index.get('a')?.name).toBe('Tokayev');
    expect(index.has('d')).toBe(false);
  });
});
