/**
 * Undo of a coding form's last change, through its live Yjs document (issue 13, item 9). The
 * UndoManager tracks only the transactions this form makes with its own origin, so an undo never
 * reverts what another tab, another coder (a joint layer) or the sync wrote; Yjs also refuses to
 * bring back a value that someone else has replaced since (it leaves theirs).
 */
import * as Y from 'yjs';

export interface UndoState {
  /** Whether there is a change of this form to undo. */
  canUndo: boolean;
  /** The field the next undo changes back ('' when none). */
  fieldKey: string;
}

export class FormUndo {
  /** This form's transactions; nothing else is tracked. */
  readonly origin = Symbol('coding-form');
  readonly #doc: Y.Doc;
  readonly #map: Y.Map<unknown>;
  readonly #manager: Y.UndoManager;
  readonly #onChange: (state: UndoState) => void;
  #writing = '';
  #reported: UndoState = { canUndo: false, fieldKey: '' };

  constructor(input: { doc: Y.Doc; map: Y.Map<unknown>; onChange: (state: UndoState) => void }) {
    this.#doc = input.doc;
    this.#map = input.map;
    this.#onChange = input.onChange;
    // Every write is a step of its own: "the last change" is one pick, not what happened in 500 ms.
    this.#manager = new Y.UndoManager(input.map, { trackedOrigins: new Set([this.origin]), captureTimeout: 0 });
    this.#manager.on('stack-item-added', (event: { stackItem: { meta: Map<string, unknown> }; type: 'undo' | 'redo' }) => {
      if (event.type === 'undo' && this.#writing) event.stackItem.meta.set('field', this.#writing);
      this.#report();
    });
    this.#manager.on('stack-item-popped', () => this.#report());
    this.#manager.on('stack-cleared', () => this.#report());
  }

  /** Sets (or, with undefined, deletes) one field's value as an undoable step of this form. */
  write(fieldKey: string, value: unknown): void {
    this.#writing = fieldKey;
    try {
      this.#doc.transact(() => {
        if (value === undefined) this.#map.delete(fieldKey);
        else this.#map.set(fieldKey, value);
      }, this.origin);
    } finally {
      this.#writing = '';
    }
  }

  /**
   * Undoes this form's last change that can still be undone (Yjs skips one whose value someone
   * else has replaced since); the field it changed back, or null when there was none.
   */
  undo(): string | null {
    const undone = this.#manager.undo();
    return undone === null ? null : ((undone.meta.get('field') as string | undefined) ?? '');
  }

  state(): UndoState {
    const top = this.#manager.undoStack.at(-1);
    return { canUndo: top !== undefined, fieldKey: (top?.meta.get('field') as string | undefined) ?? '' };
  }

  destroy(): void {
    this.#manager.destroy();
  }

  /** Tells a change of the state only (an undo pops one stack and pushes the other: one change). */
  #report(): void {
    const state = this.state();
    if (state.canUndo === this.#reported.canUndo && state.fieldKey === this.#reported.fieldKey) return;
    this.#reported = state;
    this.#onChange(state);
  }
}
