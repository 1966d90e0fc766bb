/**
 * The coding view's parts that its first paint does without, loaded when first shown
 * (`$lib/lazy.ts`; bench/web-initial-js.ts): the joint panel (joint phase only), the calibration
 * feedback (after a submit), the revised values (after a production round's joint session), and
 * the tagged spans' list, highlights and tagging tools (below the text), the form that
 * reopens a coder's submission (editors only), who else is on the item (when someone is: fetched
 * when the page is idle, so it shows at once), and the original/translation switch (translated
 * items only). Each is shown through LazyPart, which says so when its code cannot load.
 */
import { lazy } from '$lib/lazy.ts';

export const jointPanel = lazy(() => import('$lib/components/JointPanel.svelte'));
export const calibrationFeedback = lazy(() => import('$lib/components/CalibrationFeedback.svelte'));
export const revisedValues = lazy(() => import('$lib/components/RevisedValues.svelte'));
export const spanTags = lazy(() => import('$lib/components/SpanTags.svelte'));
export const submissionReopen = lazy(() => import('$lib/components/SubmissionReopen.svelte'));
export const itemPresence = lazy(() => import('$lib/components/ItemPresence.svelte'));
export const textViewSwitch = lazy(() => import('$lib/components/TextViewSwitch.svelte'));
/** The coding view's keys (keys.ts): fetched when the page is idle; the page keeps keys typed before that and hands them over in order. */
export const codingKeys = lazy(() => import('./keys.ts').then((m) => ({ default: m.CodingKeys })));

/** The longest a prefetch waits for the browser to be idle (a busy page still gets it soon). */
const IDLE_PREFETCH_MAX_WAIT_MS = 2000;

/**
 * Fetches the parts a page may need at any moment (a key, someone else opening the item) once the page
 * has painted and the browser is idle, so they render at once when first needed. A failure is not reported here: the part's LazyPart
 * tries again, and says so, when it is shown.
 */
export function prefetchWhenIdle(): () => void {
  const prefetch = () => {
    for (const load of [codingKeys, itemPresence]) Promise.resolve(load()).catch(() => {});
  };
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(prefetch, { timeout: IDLE_PREFETCH_MAX_WAIT_MS });
    return () => cancelIdleCallback(id);
  }
  const timer = setTimeout(prefetch, IDLE_PREFETCH_MAX_WAIT_MS);
  return () => clearTimeout(timer);
}
