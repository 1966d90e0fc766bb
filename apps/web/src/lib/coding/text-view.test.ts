import { describe, expect, it } from 'vitest';
import { rememberedTextView, rememberTextView, shownTextView, type ChoiceStore } from './text-view.ts';

function memoryStore(): ChoiceStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('the coding view text choice', () => {
  it('is remembered per coder, original by default', () => {
    const store = memoryStore();
    expect(rememberedTextView(store, 'usr_a')).toBe('original');
    rememberTextView(store, 'usr_a', 'both');
    expect(rememberedTextView(store, 'usr_a')).toBe('both');
    expect(rememberedTextView(store, 'usr_b')).toBe('original');
  });

  it('ignores a stored value it does not know and storage that throws', () => {
    const store = memoryStore();
    store.data.set('concord:text-view:usr_a', 'sideways');
    expect(rememberedTextView(store, 'usr_a')).toBe('original');
    const broken: ChoiceStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(rememberedTextView(broken, 'usr_a')).toBe('original');
    expect(() => rememberTextView(broken, 'usr_a', 'translation')).not.toThrow();
    expect(rememberedTextView(null, 'usr_a')).toBe('original');
  });

  it('shows the original of an item without a translation, whatever the choice', () => {
    expect(shownTextView('translation', { translationTitle: null, translationBody: null })).toBe('original');
    expect(shownTextView('translation', { translationTitle: null, translationBody: 'Text' })).toBe('translation');
    expect(shownTextView('both', { translationTitle: 'Title', translationBody: null })).toBe('both');
  });
});
