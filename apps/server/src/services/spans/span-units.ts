/**
 * From one coder's span tags to the units the unitizing alphas compare (pure).
 *
 * A coder may tag one passage with several frames, and tags of one frame may overlap, while
 * the alphas need each coder's units not to overlap. Per frame, overlapping tags of a coder
 * are merged (she marked that stretch as the frame); touching ones stay two units. For the
 * field as a whole, her tagged text is cut at every boundary of her merged tags and each
 * piece takes the set of frames on it as its value (one frame, or several joined by
 * COMBINED_SEPARATOR, a value of its own).
 */
import type { Unit } from '@concord/reliability';

export const COMBINED_SEPARATOR = ' + ';

export interface Tag {
  from: number;
  to: number;
  frame: string;
}

/** The coder's units of one frame: her tags of it, overlapping ones merged. */
export function frameUnits(tags: readonly Tag[], frame: string): Unit[] {
  const sorted = tags.filter((t) => t.frame === frame).sort((a, b) => a.from - b.from || a.to - b.to);
  const out: { start: number; end: number; value: string }[] = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    if (last && t.from < last.end) last.end = Math.max(last.end, t.to);
    else out.push({ start: t.from, end: t.to, value: frame });
  }
  return out;
}

/**
 * The coder's units of the whole field: her text cut at her merged tags' boundaries, each
 * tagged piece valued by its frames in `order` (codebook order).
 */
export function fieldUnits(tags: readonly Tag[], order: readonly string[]): { units: Unit[]; combinedLength: number } {
  const merged = order.flatMap((frame) => frameUnits(tags, frame));
  const cuts = [...new Set(merged.flatMap((u) => [u.start, u.end]))].sort((a, b) => a - b);
  const units: Unit[] = [];
  let combinedLength = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    const on = order.filter((frame) => merged.some((u) => u.value === frame && u.start <= start && end <= u.end));
    if (!on.length) continue;
    if (on.length > 1) combinedLength += end - start;
    units.push({ start, end, value: on.join(COMBINED_SEPARATOR) });
  }
  return { units, combinedLength };
}
