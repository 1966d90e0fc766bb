/**
 * The relational `codings` rows are a projection of the coding documents: after each
 * persisted batch, the document's values are validated against the current codebook and
 * the coder's rows are made equal to them, in the same transaction.
 */
import { and, asc, eq } from 'drizzle-orm';
import { codings } from '@concord/db';
import { checkValue, codingValueSchema, newId, type CodingValue } from '@concord/shared';
import { audit } from '../audit.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import type { ServiceContext } from '../context.ts';
import { resolveLinkValues } from '../actors/link-values.ts';

export interface InvalidValue {
  fieldKey: string;
  message: string;
}

/** Splits a document's values into projectable ones and the rest (unknown field, wrong shape, not in the codebook). */
export function validateValues(
  fields: Parameters<typeof checkValue>[0][],
  values: Record<string, unknown>,
): { valid: Map<string, CodingValue>; invalid: InvalidValue[] } {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const valid = new Map<string, CodingValue>();
  const invalid: InvalidValue[] = [];
  for (const [fieldKey, raw] of Object.entries(values)) {
    const field = byKey.get(fieldKey);
    if (!field) {
      invalid.push({ fieldKey, message: `unknown field "${fieldKey}"` });
      continue;
    }
    const parsed = codingValueSchema.safeParse(raw);
    const message = parsed.success ? checkValue(field, parsed.data) : `field "${fieldKey}" has a value of the wrong shape`;
    if (parsed.success && !message) valid.set(fieldKey, parsed.data);
    else invalid.push({ fieldKey, message: message ?? 'invalid value' });
  }
  return { valid, invalid };
}

/**
 * Makes the coder's draft rows equal to the document: a row per key whose value fits the
 * current codebook. A value that does not fit is not projected (its row is removed) unless
 * it is exactly the row's value, which then keeps the codebook version it was coded under.
 * Audits each change. Runs in the caller's transaction; ctx.actor is the coder.
 */
export async function projectCodingValues({ ctx, input }: {
  ctx: ServiceContext;
  input: { projectId: string; itemId: string; coderId: string; values: Record<string, unknown> };
}): Promise<{ invalid: InvalidValue[] }> {
  const { projectId, itemId, coderId } = input;
  const codebook = await loadCodebook({ ctx, projectId });
  const checked = validateValues(codebook.fields, input.values);
  // Link values name actors: unknown ones fail, merged ones mean the actor they went into.
  const links = await resolveLinkValues({ ctx, projectId, coderId, fields: codebook.fields, values: checked.valid });
  const valid = links.values;
  for (const p of links.problems) valid.delete(p.fieldKey);
  const invalid = [...checked.invalid, ...links.problems];
  const rows = await ctx.db
    .select()
    .from(codings)
    .where(and(eq(codings.itemId, itemId), eq(codings.coderId, coderId)))
    .orderBy(asc(codings.fieldKey));
  const existing = new Map(rows.map((r) => [r.fieldKey, r]));
  const entityId = (fieldKey: string) => `${itemId}:${coderId}:${fieldKey}`;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  for (const before of rows) {
    const keep = valid.has(before.fieldKey) || same(input.values[before.fieldKey], before.value);
    if (keep) continue;
    await ctx.db.delete(codings).where(eq(codings.id, before.id));
    await audit({ ctx, entry: { projectId, entity: 'coding', entityId: entityId(before.fieldKey), action: 'clear', before: { value: before.value, version: before.codebookVersionId }, after: null } });
  }
  for (const [fieldKey, value] of valid) {
    const before = existing.get(fieldKey);
    // An unchanged value keeps the codebook version it was coded under.
    if (before && same(before.value, value)) continue;
    if (before) {
      await ctx.db.update(codings).set({ value, codebookVersionId: codebook.versionId, updatedAt: new Date() }).where(eq(codings.id, before.id));
    } else {
      await ctx.db.insert(codings).values({ id: newId('coding'), projectId, itemId, coderId, fieldKey, codebookVersionId: codebook.versionId, value });
    }
    await audit({ ctx, entry: {
      projectId,
      entity: 'coding',
      entityId: entityId(fieldKey),
      action: before ? 'update' : 'create',
      before: before ? { value: before.value, version: before.codebookVersionId } : null,
      after: { value, version: codebook.versionId },
    } });
  }
  return { invalid: invalid.filter((i) => !same(input.values[i.fieldKey], existing.get(i.fieldKey)?.value)) };
}

/** The coder's current rows as document values (to start a coding document from existing codings). */
export async function codingRowValues({ ctx, itemId, coderId }: { ctx: Pick<ServiceContext, 'db'>; itemId: string; coderId: string }): Promise<Record<string, CodingValue>> {
  const rows = await ctx.db
    .select({ fieldKey: codings.fieldKey, value: codings.value })
    .from(codings)
    .where(and(eq(codings.itemId, itemId), eq(codings.coderId, coderId)));
  return Object.fromEntries(rows.map((r) => [r.fieldKey, r.value]));
}
