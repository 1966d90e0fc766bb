/**
 * The coding view's keys while their code is on its way (deferred.ts fetches it when the page is
 * idle): keys pressed before it arrives are kept and handed over in order once it is there, so a
 * coder who types at once loses none. None of them has a default action the page must prevent
 * then: digits wait on a field only once the code runs.
 */
import type { CodingKeyActions, CodingKeys } from './keys.ts';

type KeysClass = new () => CodingKeys;

export class DeferredKeys {
  #keys: CodingKeys | null = null;
  readonly #early: KeyboardEvent[] = [];
  readonly #load: () => KeysClass | Promise<KeysClass>;

  /** `load`: the keys' class, or a promise of it the first time (`lazy()`). */
  constructor(load: () => KeysClass | Promise<KeysClass>) {
    this.#load = load;
  }

  /** `actions` is read when the key is handled, so a key kept for later acts on the page as it is then. */
  onKey(event: KeyboardEvent, actions: () => CodingKeyActions): void {
    if (this.#keys) {
      this.#keys.onKey(event, actions());
      return;
    }
    this.#early.push(event);
    if (this.#early.length > 1) return;
    void Promise.resolve(this.#load()).then(
      (Keys) => {
        const keys = (this.#keys ??= new Keys());
        for (const e of this.#early.splice(0)) keys.onKey(e, actions());
      },
      // Offline without the cached build: the keys kept are dropped and the next key tries again.
      () => (this.#early.length = 0),
    );
  }

  /** Drops the digits waiting on a field (the page moved to another item). */
  cancel(): void {
    this.#keys?.cancel();
  }
}
