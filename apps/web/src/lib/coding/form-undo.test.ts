import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FormUndo, type UndoState } from './form-undo.ts';

/** A form on its own document; `states` collects what it reports. */
function form(doc = new Y.Doc()) {
  const map = doc.getMap<unknown>('values');
  const states: UndoState[] = [];
  const undo = new FormUndo({ doc, map, onChange: (state) => states.push(state) });
  return { doc, map, undo, states };
}

/** Two documents that exchange every update at once, as two browsers on one live document. */
function joint() {
  const a = form();
  const b = form();
  a.doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b.doc, update, 'remote'));
  b.doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a.doc, update, 'remote'));
  return { a, b };
}

describe('FormUndo', () => {
  it('undoes the last change, then the one before: one pick a step, even in quick succession', () => {
    const { map, undo } = form();
    undo.write('impact', 2);
    undo.write('impact', -3);
    undo.write('frames', ['f1']);
    expect(undo.state()).toEqual({ canUndo: true, fieldKey: 'frames' });
    expect(undo.undo()).toBe('frames');
    expect(map.toJSON()).toEqual({ impact: -3 });
    expect(undo.undo()).toBe('impact');
    expect(map.toJSON()).toEqual({ impact: 2 });
    expect(undo.undo()).toBe('impact');
    expect(map.toJSON()).toEqual({});
    expect(undo.undo()).toBeNull();
    expect(undo.state()).toEqual({ canUndo: false, fieldKey: '' });
  });

  it('undoes a clear (a deleted value comes back)', () => {
    const { map, undo } = form();
    undo.write('impact', 1);
    undo.write('impact', undefined);
    expect(undo.undo()).toBe('impact');
    expect(map.get('impact')).toBe(1);
  });

  it('reports each change of what can be undone', () => {
    const { undo, states } = form();
    undo.write('impact', 1);
    undo.undo();
    expect(states).toEqual([
      { canUndo: true, fieldKey: 'impact' },
      { canUndo: false, fieldKey: '' },
    ]);
  });

  it('never tracks writes made without its origin: the sync, another tab, other code', () => {
    const { doc, map, undo } = form();
    map.set('note', 'written elsewhere');
    const other = new Y.Doc();
    other.getMap('values').set('impact', 3);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'remote');
    expect(undo.state().canUndo).toBe(false);
    expect(undo.undo()).toBeNull();
    expect(map.toJSON()).toEqual({ note: 'written elsewhere', impact: 3 });
  });

  it("in a joint session, undo takes back one's own change and leaves the other coder's", () => {
    const { a, b } = joint();
    a.undo.write('impact', 1);
    b.undo.write('frames', ['f2']);
    expect(a.undo.undo()).toBe('impact');
    expect(a.map.toJSON()).toEqual({ frames: ['f2'] });
    expect(b.map.toJSON()).toEqual({ frames: ['f2'] });
    expect(b.undo.state()).toEqual({ canUndo: true, fieldKey: 'frames' });
  });

  it("never brings back one's value over the value another coder set since", () => {
    const { a, b } = joint();
    a.undo.write('impact', 0);
    a.undo.write('impact', 1);
    b.undo.write('impact', -2);
    expect(a.undo.undo()).toBeNull();
    expect(a.map.get('impact')).toBe(-2);
    expect(b.map.get('impact')).toBe(-2);
    // The other coder's own undo still works: back to the value before hers.
    expect(b.undo.undo()).toBe('impact');
    expect(b.map.get('impact')).toBe(1);
  });

  it('stops tracking once destroyed', () => {
    const { undo } = form();
    undo.destroy();
    undo.write('impact', 1);
    expect(undo.state().canUndo).toBe(false);
  });
});
