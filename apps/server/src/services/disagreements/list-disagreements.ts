import { and, eq } from 'drizzle-orm';
import { adjudications, assignments } from '@concord/db';
import type { Codebook, Disagreement, DisagreementQuery } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize, disagreementScope } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadRevealedCodings, resolveReviewFilters, type RevealedCoding } from '../reliability/revealed-codings.ts';
import { fieldDistance, spread } from './severity.ts';

export type RankedDisagreement = Disagreement & { order: number; position: number };

/**
 * The disagreement inbox: every (item, field) of a revealed item where the submitted
 * values differ, most severe first (see severity.ts), each coder's value beside it.
 * Text fields are left out (free text always differs). Filters: field, incident, and
 * coder (disagreements that coder takes part in). A coder sees only the disagreements
 * of items assigned to them (authz disagreementScope).
 */
export async function listDisagreements({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: DisagreementQuery }): Promise<{ disagreements: Disagreement[]; total: number; itemTotal: number }> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'disagreements.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  if (query.field && !codebook.fields.some((f) => f.key === query.field)) {
    throw new AppError('VALIDATION_FAILED', `unknown field "${query.field}"`, [{ path: ['field'], message: `unknown field "${query.field}"` }]);
  }
  const filters = await resolveReviewFilters({ ctx, projectId, query: { incident: query.incident, coders: query.coder ? [query.coder] : undefined } });
  const scope = disagreementScope(role, actor.userId);
  let itemIds: Set<string> | undefined;
  if (scope.kind === 'assigned') {
    const mine = await ctx.db
      .select({ itemId: assignments.itemId })
      .from(assignments)
      .where(and(eq(assignments.projectId, projectId), eq(assignments.coderId, scope.coderId)));
    itemIds = new Set(mine.map((a) => a.itemId));
  }
  const found = (await rankDisagreements({ ctx, projectId, codebook, filters: { field: query.field, incident: filters.incident, coderId: filters.coderIds?.[0], itemIds } })).filter((d) => {
    const isDecided = d.adjudication?.status === 'decided';
    return !((query.status === 'open' && isDecided) || (query.status === 'decided' && !isDecided));
  });
  const byItem = new Map<string, RankedDisagreement[]>();
  for (const d of found) {
    const rows = byItem.get(d.itemId) ?? [];
    rows.push(d);
    byItem.set(d.itemId, rows);
  }
  // Grouped: items in the order of their most severe row (the first one found), a page of whole items.
  const page = query.group === 'item' ? [...byItem.values()].slice(query.offset, query.offset + query.limit).flat() : found.slice(query.offset, query.offset + query.limit);
  return { disagreements: page.map(({ order: _o, position: _p, ...d }) => d), total: found.length, itemTotal: byItem.size };
}

/**
 * Every disagreement of revealed items, ranked: severity, then mean distance, then item
 * order, then codebook order. Internal: callers authorize (and scope) first. Number
 * fields without bounds are scaled to the range observed over the revealed codings the
 * filters keep, so callers pass the same filters to get the same severities.
 */
export async function rankDisagreements({ ctx, projectId, codebook, filters }: {
  ctx: ServiceContext;
  projectId: string;
  codebook: Codebook;
  filters: { field?: string | undefined; incident?: string | undefined; coderId?: string | undefined; itemIds?: Set<string> | undefined };
}): Promise<RankedDisagreement[]> {
  const coderId = filters.coderId;
  const rows = await loadRevealedCodings({ ctx, projectId, filters: { field: filters.field, incident: filters.incident } });
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

  const found: RankedDisagreement[] = [];
  const itemOrder = new Map<string, number>();
  for (const [key, group] of groups) {
    const first = group[0]!;
    if (!itemOrder.has(first.itemId)) itemOrder.set(first.itemId, itemOrder.size);
    const order = itemOrder.get(first.itemId)!;
    const entry = fields.get(first.fieldKey);
    if (!entry || entry.field.type === 'text' || group.length < 2) continue;
    if (coderId && !group.some((g) => g.coderId === coderId)) continue;
    if (filters.itemIds && !filters.itemIds.has(first.itemId)) continue;
    const { max, mean } = spread(group.map((g) => g.value), distances.get(first.fieldKey)!);
    if (max === 0) continue;
    const decision = decisions.get(key);
    found.push({
      itemId: first.itemId,
      externalId: first.externalId,
      title: first.title,
      incidentId: first.incidentIds[0] ?? null,
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
  return found;
}
