/**
 * Whether a key press goes into something that takes text (an input, a select, a text area,
 * editable content), where single-letter shortcuts (j/k, digits, t) must not fire. Radio
 * buttons and checkboxes take no text: shortcuts work while they have the focus.
 */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.closest) return false;
  if (el.isContentEditable) return true;
  return Boolean(el.closest('textarea, select, input:not([type=radio]):not([type=checkbox])'));
}
