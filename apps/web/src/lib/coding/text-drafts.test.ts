import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEXT_DEBOUNCE_MS, TextDrafts } from './text-drafts.ts';

describe('TextDrafts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = () => {
    const written: [string, string | undefined][] = [];
    const drafts = new TextDrafts<{ key: string }>((field, text) => written.push([field.key, text]));
    return { drafts, written };
  };

  it('writes a field once typing pauses, with the last text', () => {
    const { drafts, written } = setup();
    drafts.type({ key: 'note' }, 'a');
    vi.advanceTimersByTime(TEXT_DEBOUNCE_MS - 1);
    drafts.type({ key: 'note' }, 'ab');
    vi.advanceTimersByTime(TEXT_DEBOUNCE_MS - 1);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual([['note', 'ab']]);
  });

  it('flushes one field or all at once, an emptied field as undefined, and a dropped draft never', () => {
    const { drafts, written } = setup();
    drafts.type({ key: 'a' }, 'x');
    drafts.type({ key: 'b' }, '');
    drafts.type({ key: 'c' }, 'gone');
    drafts.flush('a');
    expect(written).toEqual([['a', 'x']]);
    drafts.drop('c');
    drafts.flush();
    vi.runAllTimers();
    expect(written).toEqual([['a', 'x'], ['b', undefined]]);
  });
});
