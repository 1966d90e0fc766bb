/**
 * Coding through the API, for browser tests that need items coded before the page opens (or
 * values written while it is open): an item assigned to coders, and a coder's values for every
 * required field. The page's own coding form is tested in browser/coding.test.ts.
 */
import type { Codebook, CodingValue, FieldDefinition, Platform, RoundType } from '@concord/shared';
import { ok } from './api.ts';
import type { browserSessions } from './sessions.ts';

type Users = Pick<ReturnType<typeof browserSessions>, 'accounts' | 'project'>;

/** A value each field accepts, as a coder would pick it: the first choice or scale point; `text` for text fields. */
export function firstValue(field: FieldDefinition, text: string): CodingValue {
  switch (field.type) {
    case 'single_choice':
      return field.options[0]!.value;
    case 'multiple_choice':
      return [field.options[0]!.value];
    case 'ordinal':
      return field.scale[0]!.value;
    case 'number':
      return field.min ?? 0;
    case 'text':
      return text;
    case 'link':
      return [];
  }
}

/** `firstValue` for every required field of the codebook, by field key. */
export const requiredValues = (codebook: Pick<Codebook, 'fields'>, text: string): Record<string, CodingValue> =>
  Object.fromEntries(codebook.fields.filter((f) => f.required).map((f) => [f.key, firstValue(f, text)]));

export interface NewItem {
  title: string;
  body: string;
  platform?: Platform;
}

/**
 * `who` adds the items and assigns every one to all of `coders` (signed-in users, k = their
 * number, seed 1) in a round named `roundName`; the items' ids, in order.
 */
export async function addAssignedItems(
  users: Users,
  who: string,
  projectId: string,
  items: NewItem[],
  round: { roundName: string; type: RoundType; coders: string[] },
): Promise<string[]> {
  const param = { projectId };
  const itemIds: string[] = [];
  for (const item of items) itemIds.push((await ok(users.project(who).items.$post({ param, json: { platform: 'news', ...item } }))).id);
  const coderIds = round.coders.map((c) => users.accounts[c]!.id);
  await ok(
    users.project(who).assignments.$post({
      param,
      json: { roundName: round.roundName, type: round.type, coderIds, itemIds, mode: { type: 'k', k: coderIds.length }, seed: 1 },
    }),
  );
  return itemIds;
}

/** `who` saves `values` on the item and, unless `submit` is false, submits them. */
export async function codeItem(users: Users, who: string, projectId: string, itemId: string, values: Record<string, CodingValue>, submit = true): Promise<void> {
  const param = { projectId, itemId };
  await ok(users.project(who).items[':itemId'].codings.me.$put({ param, json: { values } }));
  if (submit) await ok(users.project(who).items[':itemId'].codings.me.submit.$post({ param, query: {} }));
}
