import type { FieldReliability, ReliabilityQuery, ReliabilityReport } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { fieldMatrix, type FieldCell } from './field-matrix.ts';
import { fieldReliability } from './field-reliability.ts';
import { codedUnder, loadRevealedCodings, reliabilityRows, resolveReviewFilters, withVersions } from './revealed-codings.ts';
import { cachedReliability, type ReliabilityCache } from './cache.ts';
import { projectRounds } from './project-lists.ts';

export interface ReliabilityOptions {
  /** Results per data version (see cache.ts); absent: always computed. */
  cache?: ReliabilityCache | undefined;
}

/**
 * Reliability per field of the current codebook, on blind submitted codings of revealed items
 * (pre-adjudication: adjudications never enter; codings not made blind, and imported ones unless
 * `includeImported`, are counted, not used), optionally for one field, incident,
 * round or set of coders. The same numbers as `concord reliability` on the wide export.
 */
export async function getReliability({ ctx, projectId, query, options = {} }: { ctx: ServiceContext; projectId: string; query: ReliabilityQuery; options?: ReliabilityOptions }): Promise<ReliabilityReport> {
  await authorize({ ctx, projectId, action: 'reliability.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  if (query.field && !codebook.fields.some((f) => f.key === query.field)) {
    throw new AppError('VALIDATION_FAILED', `unknown field "${query.field}"`, [{ path: ['field'], message: `unknown field "${query.field}"` }]);
  }
  const filters = await resolveReviewFilters({ ctx, projectId, query });
  const key = ['report', query.field ?? null, filters.incident ?? null, filters.round ?? null, filters.coderIds?.toSorted() ?? null, query.bootstrap, query.seed, query.includeImported];
  return cachedReliability({ ctx, cache: options.cache, projectId, key, compute: async () => {
    const { rows, notBlind, imported } = reliabilityRows(await loadRevealedCodings({ ctx, projectId, filters: { ...filters, field: query.field } }), query);
    const byField = new Map<string, FieldCell[]>();
    const coders = new Map<string, { id: string; email: string; name: string }>();
    for (const r of rows) {
      if (!byField.has(r.fieldKey)) byField.set(r.fieldKey, []);
      byField.get(r.fieldKey)!.push({ unit: r.itemId, coder: r.email, value: r.value });
      coders.set(r.email, { id: r.coderId, email: r.email, name: r.name });
    }
    const bootstrap = query.bootstrap > 0 ? { replicates: query.bootstrap, seed: query.seed } : null;
    const fields: FieldReliability[] = codebook.fields
      .filter((f) => !query.field || f.key === query.field)
      .map((f) => ({
        ...withVersions(fieldReliability(f, fieldMatrix(byField.get(f.key) ?? []), bootstrap), rows, f),
        excluded_not_blind: notBlind.get(f.key) ?? 0,
        excluded_imported: imported.get(f.key) ?? 0,
      }));
    const versions = new Set(codebook.fields.filter((f) => !query.field || f.key === query.field).flatMap((f) => codedUnder(rows, f).map((v) => v.version)));
    return {
      codebookVersion: codebook.version,
      codedUnderVersions: [...versions].sort((a, b) => a - b),
      bootstrap: { replicates: query.bootstrap, seed: query.seed },
      coders: [...coders.values()].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0)),
      rounds: await projectRounds({ ctx, projectId }),
      fields,
    };
  } });
}
