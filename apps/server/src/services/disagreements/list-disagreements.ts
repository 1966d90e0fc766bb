import { eq } from 'drizzle-orm';
import { adjudications } from '@concord/db';
import type { Disagreement, DisagreementQuery } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadRevealedCodings, resolveReviewFilters, type RevealedCoding } from '../reliability/revealed-codings.ts';
import { fieldDistance, spread } from './severity.ts';

/**
 * The disagreement inbox: every (item, field) of a revealed item where the submitted
 * values differ, most severe first (see severity.ts), each coder's value beside it.
 * Text fields are left out (free text always differs). Filters: field, incident, and
 * coder (disagreements that coder takes part in).
 */
export async function listDisagreements(ctx: ServiceContext, projectId: string, query: DisagreementQuery): Promise<{ disagreements: Disagreement[]; total: number }> {
  await authorize(ctx, projectId, 'disagreements.read');
  const codebook = await loadCodebook(ctx, projectId);
  if (query.field && !codebook.fields.some((f) => f.key === query.field)) {
    throw new AppError('VALIDATION_FAILED', `unknown field "${query.field}"`, [{ path: ['field'], message: `unknown field "${query.field}"` }]);
  }
  const filters = await resolveReviewFilters(ctx, projectId, { incident: query.incident, coders: query.coder ? [query.coder] : undefined });
  const coderId = filters.coderIds?.[0];
  const rows = await loadRevealedCodings(ctx, projectId, { field: query.field, incident: filters.incident });
  const decided = await ctx.db
    .select({ itemId: adjudications.itemId, fieldKey: adjudications.fieldKey, status: adjudications.status, value: adjudications.value })
    .from(adjudications)
    .where(eq(adjudications.projectId, projectId));
  const decisions = new Map(decided.map((d) => [`${d.itemId}\u0000${d.fieldKey}`, d]));

  const groups = new Map<string, RevealedCoding[]>();
  const numbers = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.itemId}\u0000${r.fieldKey}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
    if (typeof r.value === 'number') {
      if (!numbers.has(r.fieldKey)) numbers.set(r.fieldKey, []);
      numbers.get(r.fieldKey)!.push(r.value);
    }
  }
  const fields = new Map(codebook.fields.map((f, position) => [f.key, { field: f, position }]));
  const distances = new Map(
    codebook.fields.map((f) => {
      const seen = numbers.get(f.key) ?? [];
      return [f.key, fieldDistance(f, seen.length ? Math.max(...seen) - Math.min(...seen) : 0)];
    }),
  );

  const found: (Disagreement & { order: number; position: number })[] = [];
  const itemOrder = new Map<string, number>();
  for (const [key, group] of groups) {
    const first = group[0]!;
    if (!itemOrder.has(first.itemId)) itemOrder.set(first.itemId, itemOrder.size);
    const order = itemOrder.get(first.itemId)!;
    const entry = fields.get(first.fieldKey);
    if (!entry || entry.field.type === 'text' || group.length < 2) continue;
    if (coderId && !group.some((g) => g.coderId === coderId)) continue;
    const { max, mean } = spread(group.map((g) => g.value), distances.get(first.fieldKey)!);
    if (max === 0) continue;
    const decision = decisions.get(key);
    const isDecided = decision?.status === 'decided';
    if ((query.status === 'open' && isDecided) || (query.status === 'decided' && !isDecided)) continue;
    found.push({
      itemId: first.itemId,
      externalId: first.externalId,
      title: first.title,
      incidentId: first.incidentId,
      fieldKey: first.fieldKey,
      fieldType: entry.field.type,
      severity: max,
      meanDistance: mean,
      values: group.map((g) => ({ coderId: g.coderId, email: g.email, name: g.name, value: g.value })),
      adjudication: decision ? { status: decision.status, value: decision.value ?? null } : null,
      order,
      position: entry.position,
    });
  }
  found.sort((a, b) => b.severity - a.severity || b.meanDistance - a.meanDistance || a.order - b.order || a.position - b.position);
  const page = found.slice(query.offset, query.offset + query.limit).map(({ order: _o, position: _p, ...d }) => d);
  return { disagreements: page, total: found.length };
}
