import { describe, expect, it } from 'vitest';
import type { Assignment, Member } from '@concord/shared';
import { parseProjectView, submittedCoders, viewHref } from './queue.ts';

const params = (search: string) => new URLSearchParams(search);

describe('parseProjectView', () => {
  it("opens a coder's project on her queue and a manager's on the table", () => {
    expect(parseProjectView(params(''), 'coder')).toEqual({ kind: 'queue', coder: null });
    expect(parseProjectView(params(''), 'editor')).toEqual({ kind: 'table' });
  });

  it('follows ?view=, opens the table for its filters, and lets only managers name a queue', () => {
    expect(parseProjectView(params('view=table'), 'coder')).toEqual({ kind: 'table' });
    expect(parseProjectView(params('phase=independent'), 'coder')).toEqual({ kind: 'table' });
    expect(parseProjectView(params('view=queue'), 'owner')).toEqual({ kind: 'queue', coder: null });
    expect(parseProjectView(params('queue=usr_1'), 'methodologist')).toEqual({ kind: 'queue', coder: 'usr_1' });
    expect(parseProjectView(params('queue=usr_1'), 'coder')).toEqual({ kind: 'queue', coder: null });
  });

  it('round-trips through viewHref', () => {
    for (const role of ['coder', 'editor'] as const) {
      for (const view of [{ kind: 'table' as const }, { kind: 'queue' as const, coder: null }]) {
        const url = new URL(viewHref('p1', view, role), 'http://x');
        expect(url.pathname).toBe('/projects/p1');
        expect(parseProjectView(url.searchParams, role)).toEqual(view);
      }
    }
    expect(parseProjectView(new URL(viewHref('p1', { kind: 'queue', coder: 'u 2' }, 'editor'), 'http://x').searchParams, 'editor')).toEqual({ kind: 'queue', coder: 'u 2' });
  });
});

describe('submittedCoders', () => {
  it('lists the coders who submitted, by name, and names a coder who left the project', () => {
    const a = (coderId: string, submittedAt: string | null) => ({ id: `a-${coderId}`, itemId: 'itm', coderId, roundId: null, submittedAt, blind: true, reopenedAt: null }) as Assignment;
    const members = [{ userId: 'u1', name: 'Aigerim' }, { userId: 'u2', name: 'Dana' }] as Member[];
    expect(submittedCoders([a('u1', '2026-01-01T00:00:00Z'), a('u2', null), a('gone', '2026-01-02T00:00:00Z')], members)).toEqual([
      { coderId: 'u1', name: 'Aigerim' },
      { coderId: 'gone', name: 'a former member' },
    ]);
  });
});
