import { describe, expect, it } from 'vitest';
import type { ItemRow } from '@concord/shared';
import { daysBetween, stripBars, timelineOf } from './incident-timeline.ts';

const row = (id: string, publishedAt: string | null): ItemRow => ({
  id,
  externalId: null,
  title: id,
  url: null,
  platform: null,
  author: null,
  publishedAt,
  incidentIds: [],
  incidentId: null,
  phase: 'independent',
  archivedAt: null,
});

describe('timelineOf', () => {
  it('groups items by their UTC day in date order, keeps project order within a day, and sets undated items apart', () => {
    const t = timelineOf([
      row('b', '2022-01-07T23:30:00.000Z'),
      row('none', null),
      row('a', '2022-01-05T10:00:00.000Z'),
      row('c', '2022-01-07T01:00:00.000Z'),
    ]);
    expect(t.days.map((d) => [d.day, d.items.map((i) => i.id)])).toEqual([
      ['2022-01-05', ['a']],
      ['2022-01-07', ['b', 'c']],
    ]);
    expect(t.undated.map((i) => i.id)).toEqual(['none']);
    expect([t.first, t.last]).toEqual(['2022-01-05', '2022-01-07']);
  });

  it('is empty without dated items', () => {
    expect(timelineOf([row('x', null)])).toMatchObject({ days: [], first: null, last: null });
    expect(stripBars(timelineOf([]), { from: null, to: null }, 100)).toEqual([]);
  });
});

describe('stripBars', () => {
  it('places each day on the incident\'s span, widened to the items, with heights relative to the busiest day', () => {
    expect(daysBetween('2022-01-05', '2022-03-11')).toBe(65);
    const t = timelineOf([row('a', '2022-01-05T00:00:00Z'), row('b', '2022-01-06T00:00:00Z'), row('c', '2022-01-06T12:00:00Z')]);
    // The incident runs 2022-01-05..2022-01-14: 10 days on 100 units.
    expect(stripBars(t, { from: '2022-01-05', to: '2022-01-14' }, 100)).toEqual([
      { day: '2022-01-05', x: 0, share: 0.5, count: 1 },
      { day: '2022-01-06', x: 10, share: 1, count: 2 },
    ]);
    // An item before the incident's start widens the strip to it.
    expect(stripBars(t, { from: '2022-01-06', to: null }, 100)[0]).toMatchObject({ x: 0 });
  });
});
