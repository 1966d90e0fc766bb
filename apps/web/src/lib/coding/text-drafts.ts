/**
 * Text typed into a field is written to the coding document after a pause in typing (and on
 * leaving the field), not per keystroke: each write is stored, projected and audited on the server.
 */
export const TEXT_DEBOUNCE_MS = 400;

interface Draft<F> {
  field: F;
  text: string;
  timer: ReturnType<typeof setTimeout>;
}

export class TextDrafts<F extends { key: string }> {
  readonly #drafts = new Map<string, Draft<F>>();
  readonly #write: (field: F, text: string | undefined) => void;
  readonly #delayMs: number;

  /** `write` gets the text, or undefined for an emptied field (the value is removed). */
  constructor(write: (field: F, text: string | undefined) => void, delayMs = TEXT_DEBOUNCE_MS) {
    this.#write = write;
    this.#delayMs = delayMs;
  }

  /** The field's text changed: written once typing pauses. */
  type(field: F, text: string): void {
    const previous = this.#drafts.get(field.key);
    if (previous) clearTimeout(previous.timer);
    this.#drafts.set(field.key, { field, text, timer: setTimeout(() => this.flush(field.key), this.#delayMs) });
  }

  /** Forgets the field's draft unwritten (the field was cleared). */
  drop(key: string): void {
    const draft = this.#drafts.get(key);
    if (draft) clearTimeout(draft.timer);
    this.#drafts.delete(key);
  }

  /** Writes the draft of `key` now, or every draft. */
  flush(key?: string): void {
    for (const [k, draft] of [...this.#drafts]) {
      if (key !== undefined && k !== key) continue;
      clearTimeout(draft.timer);
      this.#drafts.delete(k);
      this.#write(draft.field, draft.text === '' ? undefined : draft.text);
    }
  }
}
