/**
 * Components the coding page shows only sometimes (the joint panel, the link picker, the span
 * menu, calibration feedback, attachments) load when first shown, outside the page's initial
 * JavaScript (bench/web-initial-js.ts; the service worker precaches their chunks like any
 * other file of the build, so they load offline too).
 *
 * `lazy(() => import('./X.svelte'))` gives a function for `<LazyPart load={x} part="…">` (which
 * says so in the part's place, with a retry or a reload, when the code cannot load): the
 * import's promise the first time, then the component itself. A value that is not a
 * promise renders in the same update, so after the first load switching items (j/k) shows it
 * without a blank microtask. A failed import (offline before the chunk was cached) is not
 * kept: the next render tries again.
 */
export function lazy<T>(load: () => Promise<{ default: T }>): () => T | Promise<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return () =>
    loaded ??
    (loading ??= load().then(
      (module) => (loaded = module.default),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
}
