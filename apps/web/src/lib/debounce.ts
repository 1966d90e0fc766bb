/**
 * Its own module (it lived in reliability.ts): the coding page's live refetches need it, and
 * importing it from there brought the reliability texts into that page's first JavaScript
 * (2.2 KB gzipped; bench/web-initial-js.ts).
 */

/** Calls `fn` once `ms` after the last of a burst of calls (live refetches after many events). */
export function debounce(fn: () => void, ms: number): { call(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    call() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, ms);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
