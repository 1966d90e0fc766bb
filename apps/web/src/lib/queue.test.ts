import { describe, expect, it } from 'vitest';
import { parseProjectView, viewHref } from './queue.ts';

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
