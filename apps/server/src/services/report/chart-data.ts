/**
 * The counts behind the seed report's charts (Unfreedom Monitor, Kazakhstan), on revealed
 * items, each counted with its consensus value (consensus.ts):
 * - parent-frames (Chart 1): items per top-level frame; an item counts for a parent when it
 *   has the parent or any frame below it;
 * - platforms (Chart 2): items per option of the platform field;
 * - frames-by-incident (Chart 3): items per frame (as coded) and incident;
 * - frames-table (Table 1): parents with their child frames and item counts;
 * - impact-by-incident: items per civic impact score and incident.
 * Field defaults: narrative_frames (else the first choice field with child options),
 * platform, civic_impact (else the first ordinal field); `?field=` picks another.
 */
import { and, asc, eq } from 'drizzle-orm';
import { incidents, items } from '@concord/db';
import { CHART_COUNTING_RULE, countNoun, type ChartData, type ChartId, type CodingValue, type FieldDefinition } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadAdjudications } from '../adjudications/list-adjudications.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { incidentIdsColumn } from '../items/item-incidents.ts';
import { loadRevealedCodings } from '../reliability/revealed-codings.ts';
import { consensusValue, countedValues } from './consensus.ts';

type ChoiceField = Extract<FieldDefinition, { type: 'single_choice' | 'multiple_choice' }>;
type ScaleField = Extract<FieldDefinition, { type: 'ordinal' }>;

const isChoice = (f: FieldDefinition): f is ChoiceField => f.type === 'single_choice' || f.type === 'multiple_choice';

function pickField(fields: FieldDefinition[], chart: ChartId, requested: string | undefined): FieldDefinition {
  const invalid = (message: string) => new AppError('VALIDATION_FAILED', message, [{ path: ['field'], message }]);
  if (requested) {
    const f = fields.find((x) => x.key === requested);
    if (!f) throw invalid(`unknown field "${requested}"`);
    return f;
  }
  const byKey = (key: string) => fields.find((f) => f.key === key);
  const found =
    chart === 'platforms'
      ? byKey('platform')
      : chart === 'impact-by-incident'
        ? (byKey('civic_impact') ?? fields.find((f) => f.type === 'ordinal'))
        : (byKey('narrative_frames') ?? fields.find((f) => isChoice(f) && f.options.some((o) => o.parent !== null)));
  if (!found) throw invalid(`the codebook has no default field for the ${chart} chart; name one with ?field=KEY`);
  return found;
}

/** Each option's top-level ancestor, and whether `option` is `ancestor` or below it. */
function hierarchy(field: ChoiceField) {
  const parent = new Map(field.options.map((o) => [o.value, o.parent]));
  const isUnder = (option: string, ancestor: string): boolean => {
    for (let o: string | null | undefined = option, depth = 0; o && depth <= field.options.length; o = parent.get(o), depth++) if (o === ancestor) return true;
    return false;
  };
  const children = (of: string | null) => field.options.filter((o) => o.parent === of);
  return { isUnder, children };
}

interface ResolvedItem {
  incidentIds: string[];
  values: string[];
}

export async function getChartData(ctx: ServiceContext, projectId: string, chart: ChartId, options: { field?: string | undefined }): Promise<ChartData> {
  await authorize(ctx, projectId, 'export.read');
  const codebook = await loadCodebook(ctx, projectId);
  const field = pickField(codebook.fields, chart, options.field);
  const wantsChoice = chart !== 'impact-by-incident';
  if (wantsChoice ? !isChoice(field) : field.type !== 'ordinal') {
    const message = `the ${chart} chart needs a ${wantsChoice ? 'single or multiple choice' : 'ordinal'} field; "${field.key}" is ${field.type}`;
    throw new AppError('VALIDATION_FAILED', message, [{ path: ['field'], message }]);
  }

  const revealed = await ctx.db
    .select({ id: items.id, incidentIds: incidentIdsColumn })
    .from(items)
    .where(and(eq(items.projectId, projectId), eq(items.phase, 'revealed')))
    .orderBy(asc(items.seq));
  const votes = new Map<string, CodingValue[]>();
  for (const r of await loadRevealedCodings(ctx, projectId, { field: field.key })) {
    if (!votes.has(r.itemId)) votes.set(r.itemId, []);
    votes.get(r.itemId)!.push(r.value);
  }
  const decided = new Map(
    (await loadAdjudications(ctx, projectId, { status: 'decided', field: field.key, revealedOnly: true })).map((a) => [a.row.itemId, { value: a.row.value ?? null }]),
  );
  const resolved: ResolvedItem[] = revealed.map((item) => ({
    incidentIds: item.incidentIds,
    values: countedValues(consensusValue(field, votes.get(item.id) ?? [], decided.get(item.id))),
  }));
  const counted = resolved.filter((r) => r.values.length > 0);
  const itemsSummary = { revealed: revealed.length, counted: counted.length, excluded: revealed.length - counted.length };
  const tally = (pool: ResolvedItem[], has: (values: string[]) => boolean) => pool.filter((r) => has(r.values)).length;

  const incidentRows = await ctx.db
    .select({ id: incidents.id, name: incidents.name })
    .from(incidents)
    .where(eq(incidents.projectId, projectId))
    .orderBy(asc(incidents.createdAt), asc(incidents.name));
  const incidentSeries = [
    ...incidentRows.map((i) => ({ key: i.id, label: i.name, pool: counted.filter((r) => r.incidentIds.includes(i.id)) })),
    { key: 'none', label: 'No incident', pool: counted.filter((r) => r.incidentIds.length === 0) },
  ].filter((s) => s.key !== 'none' || s.pool.length > 0);

  const summary = `${countNoun(itemsSummary.counted, 'item')} of ${itemsSummary.revealed} revealed counted, ${itemsSummary.excluded} left out.`;
  const base = { chart, fieldKey: field.key, fieldLabel: field.label, codebookVersion: codebook.version, items: itemsSummary };
  const describe = (what: string, extra = '') => `${what}. ${summary} ${CHART_COUNTING_RULE}${extra}`;

  if (field.type === 'ordinal') {
    const scale = (field as ScaleField).scale;
    const categories = scale.map((p) => ({ key: String(p.value), label: `${p.value} ${p.label}`, parent: null }));
    return {
      ...base,
      title: `${field.label} per incident`,
      description: describe(`Items per ${field.label.toLowerCase()} score and incident`),
      categories,
      series: incidentSeries.map((s) => ({ key: s.key, label: s.label, values: categories.map((c) => tally(s.pool, (v) => v.includes(c.key))) })),
    };
  }

  const choice = field as ChoiceField;
  const { isUnder, children } = hierarchy(choice);
  const underParent = ' An item counts for a parent when it has the parent or any frame below it.';
  switch (chart) {
    case 'parent-frames': {
      const parents = children(null);
      return {
        ...base,
        title: `Chart 1: Parent ${field.label.toLowerCase()}`,
        description: describe(`Items per parent ${field.label.toLowerCase()}`, underParent),
        categories: parents.map((o) => ({ key: o.value, label: o.label, parent: null })),
        series: [{ key: 'items', label: 'Items', values: parents.map((p) => tally(counted, (v) => v.some((x) => isUnder(x, p.value)))) }],
      };
    }
    case 'platforms':
      return {
        ...base,
        title: `Chart 2: ${field.label}`,
        description: describe(`Items per ${field.label.toLowerCase()}`),
        categories: choice.options.map((o) => ({ key: o.value, label: o.label, parent: o.parent })),
        series: [{ key: 'items', label: 'Items', values: choice.options.map((o) => tally(counted, (v) => v.includes(o.value))) }],
      };
    case 'frames-by-incident': {
      const perIncident = incidentSeries.map((s) => ({ key: s.key, label: s.label, values: choice.options.map((o) => tally(s.pool, (v) => v.includes(o.value))) }));
      const used = choice.options.map((_, i) => perIncident.some((s) => s.values[i]! > 0));
      return {
        ...base,
        title: `Chart 3: ${field.label} per incident`,
        description: describe(`Items per ${field.label.toLowerCase()} as coded (child or parent) and incident; frames no item has are not drawn`),
        categories: choice.options.filter((_, i) => used[i]).map((o) => ({ key: o.value, label: o.label, parent: o.parent })),
        series: perIncident.map((s) => ({ ...s, values: s.values.filter((_, i) => used[i]) })),
      };
    }
    default: {
      // frames-table: depth-first, each option followed by the options below it.
      const rows: { key: string; label: string; parent: string | null }[] = [];
      const walk = (of: string | null) => {
        for (const o of children(of)) {
          rows.push({ key: o.value, label: o.label, parent: o.parent });
          walk(o.value);
        }
      };
      walk(null);
      return {
        ...base,
        title: `Table 1: ${field.label}`,
        description: describe(`Items per ${field.label.toLowerCase()}, parents with the frames below them`, ' A row counts the items that have its frame or any frame below it.'),
        categories: rows,
        series: [{ key: 'items', label: 'Items', values: rows.map((r) => tally(counted, (v) => v.some((x) => isUnder(x, r.key)))) }],
      };
    }
  }
}
