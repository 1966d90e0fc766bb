import type { FieldDrilldown, FieldDrilldownQuery } from '@concord/shared';
import { notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { actorNames } from '../actors/link-values.ts';
import { cachedReliability } from './cache.ts';
import { fieldDrilldown } from './field-drilldown.ts';
import type { ReliabilityOptions } from './get-reliability.ts';
import { projectIncidents, projectRounds } from './project-lists.ts';
import { loadRevealedCodings, reliabilityRows, resolveReviewFilters, withVersions } from './revealed-codings.ts';

/**
 * One field of the current codebook in detail (see field-drilldown.ts), on the same data
 * and with the same filters as `getReliability`; its `field` row equals that report's.
 */
export async function getFieldDrilldown({ ctx, projectId, fieldKey, query, options = {} }: {
  ctx: ServiceContext;
  projectId: string;
  fieldKey: string;
  query: FieldDrilldownQuery;
  options?: ReliabilityOptions;
}): Promise<FieldDrilldown> {
  await authorize({ ctx, projectId, action: 'reliability.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  const field = codebook.fields.find((f) => f.key === fieldKey);
  if (!field) throw notFound(`field "${fieldKey}"`);
  const filters = await resolveReviewFilters({ ctx, projectId, query });
  const key = ['field', fieldKey, filters.incident ?? null, filters.round ?? null, filters.coderIds?.toSorted() ?? null, query.bootstrap, query.seed, query.includeImported];
  const drilldown = await cachedReliability({ ctx, cache: options.cache, projectId, key, compute: async () => {
    const { rows, notBlind, imported } = reliabilityRows(await loadRevealedCodings({ ctx, projectId, filters: { ...filters, field: fieldKey } }), query);
    const [incidentRows, roundRows] = await Promise.all([projectIncidents({ ctx, projectId }), projectRounds({ ctx, projectId })]);
    const bootstrap = query.bootstrap > 0 ? { replicates: query.bootstrap, seed: query.seed } : null;
    const drilldown = fieldDrilldown(field, rows, { incidents: incidentRows, rounds: roundRows }, bootstrap);
    const coders = new Map(rows.map((r) => [r.email, { id: r.coderId, email: r.email, name: r.name }]));
    return {
      codebookVersion: codebook.version,
      bootstrap: { replicates: query.bootstrap, seed: query.seed },
      coders: [...coders.values()].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0)),
      rounds: roundRows,
      ...drilldown,
      field: { ...withVersions(drilldown.field, rows, field), excluded_not_blind: notBlind.get(fieldKey) ?? 0, excluded_imported: imported.get(fieldKey) ?? 0 },
    };
  } });
  if (field.type !== 'link') return drilldown;
  // A link field's values are actor ids: labelled with the names they have now (renames do not change the cached numbers).
  const names = await actorNames({ ctx, projectId });
  return { ...drilldown, values: drilldown.values.map((v) => ({ ...v, label: names.get(v.value)?.name ?? v.label })) };
}
