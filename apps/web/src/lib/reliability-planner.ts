/**
 * The planner form's pure parts: reading "value:weight" shares and describing a plan. The
 * numbers themselves come from POST …/reliability/plan.
 */
import type { ReliabilityPlanResult } from '@concord/shared';
import { coef, percent } from './reliability.ts';

export interface ValueShare {
  value: string;
  weight: number;
}

/**
 * "value:weight" pairs separated by commas or new lines ("-1:1, 0:3, 1:1"); a value without
 * a weight counts 1. Blank means none given (the server takes the field's values, uniform).
 * A value may itself hold a colon: the weight is what follows the last one.
 */
export function parseShares(text: string): { shares: ValueShare[] | null; error: string | null } {
  const parts = text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean);
  if (!parts.length) return { shares: null, error: null };
  const shares: ValueShare[] = [];
  for (const part of parts) {
    const at = part.lastIndexOf(':');
    const value = (at < 0 ? part : part.slice(0, at)).trim();
    const weight = at < 0 ? 1 : Number(part.slice(at + 1));
    if (!value) return { shares: null, error: `"${part}" names no value` };
    if (!Number.isFinite(weight) || weight < 0) return { shares: null, error: `"${part}": the weight must be a number of at least 0` };
    shares.push({ value, weight });
  }
  if (shares.length < 2) return { shares: null, error: 'give at least two values' };
  return { shares, error: null };
}

/** One sentence for the plan, or why there is none. */
export function planSentence(r: ReliabilityPlanResult): string {
  if (!r.plan) return r.reason ?? 'No plan found.';
  const { items, coders, codings, share } = r.plan;
  return (
    `${items} items × ${coders} coders (${codings} codings): the lower bound of the ${Math.round(r.confidence * 100)}% interval ` +
    `reaches ${coef(r.target)} in ${percent(share)} of ${r.simulations} simulated studies (asked: ${percent(r.probability)}).`
  );
}
