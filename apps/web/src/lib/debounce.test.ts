import { describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce.ts';

describe('debounce', () => {
  it('runs once after a burst, and not at all when cancelled', () => {
    vi.useFakeTimers();
    try {
      let runs = 0;
      const d = debounce(() => runs++, 400);
      d.call();
      vi.advanceTimersByTime(300);
      d.call();
      d.call();
      vi.advanceTimersByTime(399);
      expect(runs).toBe(0);
      vi.advanceTimersByTime(1);
      expect(runs).toBe(1);
      d.call();
      d.cancel();
      vi.advanceTimersByTime(1000);
      expect(runs).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
