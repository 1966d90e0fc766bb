import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { ItemVersion } from '@concord/shared';
import type { PageLoad } from './$types';

/**
 * The coding view: the item, the codebook, the members (names for presence) and the caller's
 * assignment; and, when she submitted on a text the item has since replaced, that text (`seen`).
 */
export const load: PageLoad = async ({ fetch, url, params, parent }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  const itemParam = { ...param, itemId: params.itemId };
  const [{ me }, info, item, codebook, members, assignments] = await Promise.all([
    parent(),
    unwrap(project.$get({ param })),
    unwrap(project.items[':itemId'].$get({ param: itemParam })),
    unwrap(project.codebook.$get({ param, query: {} })),
    unwrap(project.members.$get({ param })),
    unwrap(project.assignments.$get({ param, query: { item: params.itemId } })),
  ]).catch((err: unknown) => failLoad(err, url));
  const mine = assignments.find((a) => a.coderId === me.id) ?? null;
  let seen: ItemVersion | null = null;
  if (mine?.submittedAt && item.textVersion > 1) {
    const coded = await unwrap(project.items[':itemId'].codings.me.$get({ param: itemParam }))
      .then((own) => own.find((c) => c.itemVersion !== null)?.itemVersion ?? null)
      .catch((err: unknown) => failLoad(err, url));
    if (coded !== null && coded !== item.textVersion) {
      seen = await unwrap(project.items[':itemId'].versions[':version'].$get({ param: { ...itemParam, version: String(coded) } })).catch((err: unknown) => failLoad(err, url));
    }
  }
  return { me, project: info, item, codebook, members, assignments, mine, seen };
};
