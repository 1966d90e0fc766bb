/**
 * Span agreement of a project (issue 14): per taggable field, Krippendorff's unitizing
 * alphas over the coders' own span tags of revealed items (span-tags.ts), blind coders only
 * as in getReliability, with the same filters and cache. Definition: UNITIZING_DEFINITION.
 */
import { taggableFields, UNITIZING_DEFINITION, type SpanReliability, type SpanReliabilityQuery } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { cachedReliability } from '../reliability/cache.ts';
import type { ReliabilityOptions } from '../reliability/get-reliability.ts';
import { projectIncidents } from '../reliability/project-lists.ts';
import { resolveReviewFilters } from '../reliability/revealed-codings.ts';
import { spanField } from './span-family.ts';
import { loadSubmittedSpans } from './span-tags.ts';

export async function getSpanReliability({ ctx, projectId, query, options = {} }: { ctx: ServiceContext; projectId: string; query: SpanReliabilityQuery; options?: ReliabilityOptions }): Promise<SpanReliability> {
  await authorize({ ctx, projectId, action: 'reliability.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  const fields = taggableFields(codebook.fields).filter((f) => !query.field || f.key === query.field);
  if (query.field && !fields.length) {
    const message = `"${query.field}" is not a taggable (multiple-choice) field of the codebook`;
    throw new AppError('VALIDATION_FAILED', message, [{ path: ['field'], message }]);
  }
  const filters = await resolveReviewFilters({ ctx, projectId, query });
  const key = ['spans', query.field ?? null, filters.incident ?? null, filters.round ?? null, filters.coderIds?.toSorted() ?? null, query.bootstrap, query.seed];
  return cachedReliability({ ctx, cache: options.cache, projectId, key, compute: async () => {
    const all = await loadSubmittedSpans({ ctx, projectId, fields: codebook.fields, filters });
    const blind = all.filter((r) => r.blind);
    const incidents = await projectIncidents({ ctx, projectId });
    const bootstrap = query.bootstrap > 0 ? { replicates: query.bootstrap, seed: query.seed } : null;
    return {
      definition: { id: UNITIZING_DEFINITION.id, text: UNITIZING_DEFINITION.text },
      bootstrap: { replicates: query.bootstrap, seed: query.seed },
      excluded_not_blind: all.length - blind.length,
      fields: fields.map((f) => spanField(f, blind, incidents, bootstrap)),
    };
  } });
}
