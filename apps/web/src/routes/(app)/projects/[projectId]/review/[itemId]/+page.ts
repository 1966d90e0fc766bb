import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/** A single-coded item for review: each field's submitted value and decision; and the queue (for the next item). */
export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const [detail, queue] = await Promise.all([
    unwrap(project.items[':itemId'].review.$get({ param: { ...param, itemId: params.itemId } })),
    unwrap(project.review.$get({ param, query: { status: 'pending' } })),
  ]).catch((err: unknown) => failLoad(err, url));
  const next = queue.entries.find((e) => e.itemId !== params.itemId)?.itemId ?? null;
  return { detail, next };
};
