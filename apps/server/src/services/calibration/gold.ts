/**
 * The answer key: which value of an item's field is gold. One rule, read by the coder's
 * feedback and the methodologist's agreement table alike: an imported answer key wins (it was
 * set on purpose for calibration), else a decided adjudication (reopened ones are no gold).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { adjudications, goldValues } from '@concord/db';
import type { CodingValue, GoldSource, Phase } from '@concord/shared';
import { mayReadGold } from '../authz.ts';
import type { ServiceContext } from '../context.ts';

export interface GoldValue {
  /** Null: the key says the field has no value for this item. */
  value: CodingValue | null;
  rationale: string;
  source: GoldSource;
}

/** itemId -> fieldKey -> gold. */
export type GoldKey = Map<string, Map<string, GoldValue>>;

/** The project's gold, or that of the given items only. */
export async function loadGold({ ctx, projectId, itemIds }: { ctx: ServiceContext; projectId: string; itemIds?: readonly string[] }): Promise<GoldKey> {
  if (itemIds && itemIds.length === 0) return new Map();
  const [decided, imported] = await Promise.all([
    ctx.db
      .select({ itemId: adjudications.itemId, fieldKey: adjudications.fieldKey, value: adjudications.value, rationale: adjudications.rationale })
      .from(adjudications)
      .where(and(eq(adjudications.projectId, projectId), eq(adjudications.status, 'decided'), itemIds ? inArray(adjudications.itemId, [...itemIds]) : undefined)),
    ctx.db
      .select({ itemId: goldValues.itemId, fieldKey: goldValues.fieldKey, value: goldValues.value, rationale: goldValues.rationale })
      .from(goldValues)
      .where(and(eq(goldValues.projectId, projectId), itemIds ? inArray(goldValues.itemId, [...itemIds]) : undefined)),
  ]);
  const key: GoldKey = new Map();
  const put = (r: { itemId: string; fieldKey: string; value: CodingValue | null; rationale: string }, source: GoldSource) => {
    const fields = key.get(r.itemId) ?? new Map<string, GoldValue>();
    fields.set(r.fieldKey, { value: r.value, rationale: r.rationale, source });
    key.set(r.itemId, fields);
  };
  for (const r of decided) put(r, 'decided');
  // After the decisions, so an imported key replaces a decision on the same field.
  for (const r of imported) put(r, 'imported');
  return key;
}

/**
 * Whether the item's coders are shown gold in their calibration feedback once they submitted
 * it, in this phase (rule 11; any field). A coder may have read it, so values she changes
 * afterwards are no longer her own independent reading (reopen-submission.ts).
 */
export async function goldShownToItemCoders({ ctx, projectId, itemId, phase }: { ctx: ServiceContext; projectId: string; itemId: string; phase: Phase }): Promise<boolean> {
  const fields = (await loadGold({ ctx, projectId, itemIds: [itemId] })).get(itemId) ?? new Map<string, GoldValue>();
  // An item coder's role does not matter: she reads what an item coder reads.
  return [...fields.values()].some((g) => mayReadGold({ source: g.source, viewerRole: 'coder', viewerIsItemCoder: true, phase }));
}
