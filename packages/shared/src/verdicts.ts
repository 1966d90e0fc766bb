/**
 * Reliability verdicts without zod: the web's live pages (the reliability dashboard's
 * formatting, `$lib/live.ts`) use them, and importing them from the schemas module loaded zod
 * and every schema it imports into the coding page. `schemas/review.ts` re-exports them.
 */
/** Krippendorff's conventional thresholds (Content Analysis, 2004, p. 241). */
export const RELIABLE_ALPHA = 0.8;
export const TENTATIVE_ALPHA = 0.667;

/**
 * A field's verdict from the lower bound of its confidence interval, so that a coefficient
 * that only happens to reach .800 in this sample is not called reliable: `reliable` when the
 * bound is at least RELIABLE_ALPHA, `tentative` when at least TENTATIVE_ALPHA, `unreliable`
 * below, `insufficient` when there is no interval (too few data, no bootstrap, text fields).
 */
export const VERDICTS = ['reliable', 'tentative', 'unreliable', 'insufficient'] as const;
export type Verdict = (typeof VERDICTS)[number];

export function verdictOf(ciLow: number | null | undefined): Verdict {
  if (ciLow === null || ciLow === undefined || !Number.isFinite(ciLow)) return 'insufficient';
  return ciLow >= RELIABLE_ALPHA ? 'reliable' : ciLow >= TENTATIVE_ALPHA ? 'tentative' : 'unreliable';
}
