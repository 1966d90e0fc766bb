import { diffCodebooks, type CodebookDiff } from '@concord/shared';
import { api, unwrap } from '$lib/api.ts';
import { failLoad } from '$lib/load.ts';
import type { PageLoad } from './$types';

/** How many older versions get their diff computed on load (each is one request). */
const DIFFED_VERSIONS = 20;

export const load: PageLoad = async ({ fetch, url, params }) => {
  const project = api(url.origin, fetch).api.projects[':projectId'];
  const param = { projectId: params.projectId };
  try {
    const [info, codebook, versions] = await Promise.all([
      unwrap(project.$get({ param })),
      unwrap(project.codebook.$get({ param, query: {} })),
      unwrap(project.codebook.versions.$get({ param })),
    ]);
    // Versions come newest first; each is compared with the one before it.
    const wanted = versions.slice(0, DIFFED_VERSIONS + 1).map((v) => v.version);
    const books = await Promise.all(wanted.map((v) => unwrap(project.codebook.$get({ param, query: { version: String(v) } }))));
    const fieldsOf = new Map(books.map((b) => [b.version, b.fields]));
    const diffs: Record<number, CodebookDiff | null> = {};
    for (const v of versions) {
      const now = fieldsOf.get(v.version);
      const before = fieldsOf.get(v.version - 1);
      diffs[v.version] = now && before ? diffCodebooks(before, now) : now && v.version === 1 ? diffCodebooks([], now) : null;
    }
    return { project: info, codebook, versions, diffs };
  } catch (err) {
    return failLoad(err, url);
  }
};
