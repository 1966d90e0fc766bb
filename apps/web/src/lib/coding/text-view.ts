/**
 * Which text of an item the coding view shows: the original, its translation, or both side by
 * side. Each coder's choice is remembered on her device (localStorage, by user id), so it holds
 * from item to item and across visits; an item without a translation always shows the original.
 */
export const TEXT_VIEWS = ['original', 'translation', 'both'] as const;
export type TextView = (typeof TEXT_VIEWS)[number];

/** The storage the choice lives in (window.localStorage in the browser). */
export interface ChoiceStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const keyOf = (userId: string) => `concord:text-view:${userId}`;

/** The coder's remembered choice, `original` when none (or storage is unavailable). */
export function rememberedTextView(store: ChoiceStore | null, userId: string): TextView {
  try {
    const saved = store?.getItem(keyOf(userId));
    return (TEXT_VIEWS as readonly string[]).includes(saved ?? '') ? (saved as TextView) : 'original';
  } catch {
    return 'original';
  }
}

export function rememberTextView(store: ChoiceStore | null, userId: string, view: TextView): void {
  try {
    store?.setItem(keyOf(userId), view);
  } catch {
    // Private mode or a full storage: the choice then lasts for this page only.
  }
}

/** What the view shows for an item: the choice, or the original when the item has no translation. */
export function shownTextView(choice: TextView, item: { translationTitle: string | null; translationBody: string | null }): TextView {
  return item.translationTitle || item.translationBody ? choice : 'original';
}
