import { describe, expect, it } from 'vitest';
import { NO_FRAME_LABEL, NO_INCIDENT_LABEL, passageReference, type Workbench, type WorkbenchItem, type WorkbenchPassage } from '@concord/shared';
import { groupCounts, parseWorkbenchFilters, workbenchApiQuery, workbenchExportHref, workbenchGroups } from './workbench.ts';

const passage = (frame: string, text: string, fieldKey = 'frames'): WorkbenchPassage => ({ fieldKey, frame, start: 0, end: text.length, text, taggedBy: ['C1'], sources: ['coding'] });

function item(id: string, frames: string[], incidents: string[], passages: WorkbenchPassage[] = []): WorkbenchItem {
  return {
    id,
    externalId: `ext-${id}`,
    title: `Item ${id}`,
    url: null,
    platform: null,
    publishedAt: null,
    language: null,
    incidents: incidents.map((i) => ({ id: i, name: `Incident ${i}` })),
    phase: 'revealed',
    translation: null,
    frames,
    values: {},
    passages,
  };
}

const data: Pick<Workbench, 'frameField' | 'frames' | 'incidents' | 'items'> = {
  frameField: { key: 'frames', label: 'Frames' },
  frames: [
    { value: 'security', label: 'Security first', parent: null },
    { value: 'terror', label: 'Protesters are terrorists', parent: 'security' },
    { value: 'leader', label: 'Best leader', parent: null },
    { value: 'unused', label: 'Nobody used it', parent: null },
  ],
  incidents: [
    { id: 'i1', name: 'Incident i1' },
    { id: 'i2', name: 'Incident i2' },
  ],
  items: [
    // In two frames by its final value; one passage each, and one passage of another field.
    item('a', ['terror', 'leader'], ['i1'], [passage('terror', 'they are bandits'), passage('leader', 'only he'), passage('state_media', 'TV said', 'sources')]),
    // In a frame by a tagged passage only (its final value is open).
    item('b', [], ['i1', 'i2'], [passage('security', 'order first')]),
    // Neither frame nor passage, nor incident.
    item('c', [], []),
  ],
};

describe('workbench grouping', () => {
  it('puts each item under every frame its final value or a passage has, in codebook order, with that frame’s passages', () => {
    const groups = workbenchGroups(data, 'frame');
    expect(groups.map((g) => [g.key, g.label, g.entries.map((e) => e.item.id)])).toEqual([
      ['security', 'Security first', ['b']],
      ['terror', 'Protesters are terrorists', ['a']],
      ['leader', 'Best leader', ['a']],
      ['', NO_FRAME_LABEL, ['c']],
    ]);
    expect(groups[1]!.entries[0]!.passages.map((p) => p.text)).toEqual(['they are bandits']);
    expect(groups[2]!.entries[0]!.passages.map((p) => p.text)).toEqual(['only he']);
    expect(groups[0]!.entries[0]!.passages.map((p) => p.text)).toEqual(['order first']);
  });

  it('a passage of another field does not put an item under a frame of the same name', () => {
    const onlySources = { ...data, items: [item('d', [], [], [passage('security', 'a source', 'sources')])] };
    const groups = workbenchGroups(onlySources, 'frame');
    expect(groups.map((g) => g.key)).toEqual(['']);
    expect(groups[0]!.entries[0]!.passages.map((p) => p.text)).toEqual(['a source']);
  });

  it('groups per incident (an item under each of its incidents, all its passages), then the items without one', () => {
    const groups = workbenchGroups(data, 'incident');
    expect(groups.map((g) => [g.key, g.entries.map((e) => e.item.id)])).toEqual([
      ['i1', ['a', 'b']],
      ['i2', ['b']],
      ['', ['c']],
    ]);
    expect(groups.at(-1)!.label).toBe(NO_INCIDENT_LABEL);
    expect(groups[0]!.entries[0]!.passages).toHaveLength(3);
    expect(groupCounts(groups)).toEqual({ groups: 3, entries: 4, passages: 3 + 1 + 1 });
  });

  it('has no group for a frame or incident without items, and none at all without items', () => {
    expect(workbenchGroups(data, 'frame').some((g) => g.key === 'unused')).toBe(false);
    expect(workbenchGroups({ ...data, items: [] }, 'frame')).toEqual([]);
    expect(workbenchGroups({ ...data, items: [] }, 'incident')).toEqual([]);
  });

  it('cites a passage by external id and title, or the title alone', () => {
    expect(passageReference({ externalId: 'KZ-007', title: 'A post' })).toBe('KZ-007, "A post"');
    expect(passageReference({ externalId: null, title: 'A post' })).toBe('"A post"');
  });
});

describe('workbench filters', () => {
  it('reads the URL, defaulting to frames and page 1', () => {
    expect(parseWorkbenchFilters(new URLSearchParams('by=nonsense&page=-3'))).toEqual({ by: 'frame', field: '', frame: '', incident: '', page: 1 });
    expect(parseWorkbenchFilters(new URLSearchParams('by=incident&frame=terror&incident=i1&page=2'))).toMatchObject({ by: 'incident', frame: 'terror', incident: 'i1', page: 2 });
  });

  it('asks the API for the page and gives the exports the same filters, without empty ones', () => {
    const filters = parseWorkbenchFilters(new URLSearchParams('frame=terror&incident=&page=3'));
    expect(workbenchApiQuery(filters)).toEqual({ frame: 'terror', limit: '25', offset: '50' });
    expect(workbenchExportHref('prj_1', 'workbench.md', filters)).toBe('/api/projects/prj_1/workbench.md?frame=terror');
    expect(workbenchExportHref('prj_1', 'workbench.csv', parseWorkbenchFilters(new URLSearchParams('')), true)).toBe('/api/projects/prj_1/workbench.csv?bom=1');
  });
});
