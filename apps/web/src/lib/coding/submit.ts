/** Submitting one's codings of an item through the API. */
import type { CodingValue } from '@concord/shared';
import { api, unwrap } from '$lib/api.ts';
import { ApiError, messageOf } from '$lib/errors.ts';

/**
 * Writes the form's values through the server and waits for the commit (so a value picked a
 * moment ago is stored before the submit checks the required fields), then submits. Returns
 * the notice to show, or the API's message. `itemVersion` is the text version shown: the server
 * refuses the submit when the item's text changed since (the coder reads the new text first).
 */
export async function submitCodings(input: {
  origin: string;
  projectId: string;
  itemId: string;
  itemVersion: number;
  values: Record<string, CodingValue>;
}): Promise<{ notice: string; submittedAt: string } | { error: string; stale: boolean }> {
  try {
    const client = api(input.origin).api.projects[':projectId'].items[':itemId'].codings.me;
    const param = { projectId: input.projectId, itemId: input.itemId };
    if (Object.keys(input.values).length > 0) await unwrap(client.$put({ param, json: { values: input.values } }));
    const result = await unwrap(client.submit.$post({ param, query: { itemVersion: String(input.itemVersion) } }));
    const submittedAt = new Date().toISOString();
    return { submittedAt, notice: result.revealed ? 'Submitted. Every coder has submitted: the item is revealed.' : 'Submitted. Your codings are final.' };
  } catch (err) {
    // A conflict (the text changed, or a submit from another tab) means the page's data is old.
    return { error: messageOf(err), stale: err instanceof ApiError && err.code === 'CONFLICT' };
  }
}
