/**
 * The counts behind the seed report's charts (Unfreedom Monitor, Kazakhstan), on the final
 * dataset (export/final-dataset.ts): every item of the study, each counted with its final
 * value; items still open (blind, or no majority and no decision) are counted as open and
 * shown as a share, never in a bar.
 * - parent-frames (Chart 1): items per top-level frame; an item counts for a parent when it
 *   has the parent or any frame below it;
 * - platforms (Chart 2): items per option of the platform field;
 * - frames-by-incident (Chart 3): items per frame (as coded) and incident;
 * - frames-table (Table 1): parents with the frames below them and item counts;
 * - impact-by-incident: items per civic impact score and incident.
 * Field defaults: narrative_frames (else the first choice field with child options),
 * platform, civic_impact (else the first ordinal field); `?field=` picks another, and
 * `?incident=` limits any chart to one incident's items.
 */
import { asc, eq } from 'drizzle-orm';
import { incidents } from '@concord/db';
import { CHART_COUNTING_RULE, type ChartData, type ChartId, type ChartItems, type FieldDefinition, type FinalDataset, type FinalDatasetItem } from '@concord/shared';
import { AppError } from '../../errors.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadFinalDataset } from '../export/final-dataset.ts';
import { OPEN } from '../export/final-values.ts';
import { countedValues } from './consensus.ts';

type ChoiceField = Extract<FieldDefinition, { type: 'single_choice' | 'multiple_choice' }>;
type ScaleField = Extract<FieldDefinition, { type: 'ordinal' }>;

const isChoice = (f: FieldDefinition): f is ChoiceField => f.type === 'single_choice' || f.type === 'multiple_choice';
const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path: [path], message }]);

function pickField(fields: FieldDefinition[], chart: ChartId, requested: string | undefined): FieldDefinition {
  if (requested) {
    const f = fields.find((x) => x.key === requested);
    if (!f) throw invalid('field', `unknown field "${requested}"`);
    return f;
  }
  const byKey = (key: string) => fields.find((f) => f.key === key);
  const found =
    chart === 'platforms'
      ? byKey('platform')
      : chart === 'impact-by-incident'
        ? (byKey('civic_impact') ?? fields.find((f) => f.type === 'ordinal'))
        : (byKey('narrative_frames') ?? fields.find((f) => isChoice(f) && f.options.some((o) => o.parent !== null)));
  if (!found) throw invalid('field', `the codebook has no default field for the ${chart} chart; name one with ?field=KEY`);
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

/** One item as the charts see it: counted with its values, open, or final without a value. */
interface ChartItem {
  incidentIds: string[];
  status: 'counted' | 'open' | 'noValue';
  values: string[];
}

function chartItem(item: FinalDatasetItem, fieldKey: string): ChartItem {
  const final = item.values[fieldKey] ?? OPEN;
  const values = final.provenance === 'open' ? [] : countedValues(final.value);
  const status = final.provenance === 'open' ? 'open' : values.length ? 'counted' : 'noValue';
  return { incidentIds: item.incidents.map((i) => i.id), status, values };
}

function shareOf(pool: ChartItem[]): ChartItems {
  const count = (status: ChartItem['status']) => pool.filter((r) => r.status === status).length;
  return { total: pool.length, counted: count('counted'), open: count('open'), noValue: count('noValue') };
}

/** "23 of 30 items counted; 7 (23%) still open." */
export function shareSentence(items: ChartItems, of: string | null): string {
  if (items.total === 0) return of ? `No items of ${of} yet.` : 'No items yet.';
  const pct = Math.round((100 * items.open) / items.total);
  const noValue = items.noValue ? `; ${items.noValue} with N/A or no value` : '';
  return `${items.counted} of ${items.total} items${of ? ` of ${of}` : ''} counted; ${items.open} (${pct}%) still open${noValue}.`;
}

/** What every chart reads: load it once to draw several (the report draws them all). */
export interface ChartSource {
  dataset: FinalDataset;
  fields: FieldDefinition[];
  codebookVersion: number;
  incidents: { id: string; name: string }[];
}

export async function loadChartSource({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<ChartSource> {
  // The final dataset authorizes (export.read) and keeps blind items open (SECURITY.md, rule 5).
  const dataset = await loadFinalDataset({ ctx, projectId });
  const codebook = await loadCodebook({ ctx, projectId });
  const incidentRows = await ctx.db
    .select({ id: incidents.id, name: incidents.name })
    .from(incidents)
    .where(eq(incidents.projectId, projectId))
    .orderBy(asc(incidents.createdAt), asc(incidents.name));
  return { dataset, fields: codebook.fields, codebookVersion: codebook.version, incidents: incidentRows };
}

export async function getChartData({ ctx, projectId, chart, options }: {
  ctx: ServiceContext;
  projectId: string;
  chart: ChartId;
  options: { field?: string | undefined; incident?: string | undefined };
}): Promise<ChartData> {
  return chartData(await loadChartSource({ ctx, projectId }), chart, options);
}

/** One chart's counts from a loaded source; VALIDATION_FAILED when the codebook has no field for it. */
export function chartData(source: ChartSource, chart: ChartId, options: { field?: string | undefined; incident?: string | undefined }): ChartData {
  const { dataset, incidents: incidentRows } = source;
  const field = pickField(source.fields, chart, options.field);
  const wantsChoice = chart !== 'impact-by-incident';
  if (wantsChoice ? !isChoice(field) : field.type !== 'ordinal') {
    throw invalid('field', `the ${chart} chart needs a ${wantsChoice ? 'single or multiple choice' : 'ordinal'} field; "${field.key}" is ${field.type}`);
  }
  const incident = options.incident ? (incidentRows.find((i) => i.id === options.incident) ?? null) : null;
  if (options.incident && !incident) throw invalid('incident', `unknown incident "${options.incident}"`);

  const all = dataset.items.map((item) => chartItem(item, field.key)).filter((r) => !incident || r.incidentIds.includes(incident.id));
  const counted = all.filter((r) => r.status === 'counted');
  const items = shareOf(all);
  const tally = (pool: ChartItem[], has: (values: string[]) => boolean) => pool.filter((r) => r.status === 'counted' && has(r.values)).length;
  const incidentSeries = [
    ...(incident ? [incident] : incidentRows).map((i) => ({ key: i.id, label: i.name, pool: all.filter((r) => r.incidentIds.includes(i.id)) })),
    { key: 'none', label: 'No incident', pool: incident ? [] : all.filter((r) => r.incidentIds.length === 0) },
  ].filter((s) => s.key !== 'none' || s.pool.length > 0);
  const oneSeries = (values: number[]) => [{ key: 'items', label: 'Items', values, items }];

  const of = incident ? incident.name : null;
  const base = { chart, fieldKey: field.key, fieldLabel: field.label, codebookVersion: source.codebookVersion, incident, items, share: shareSentence(items, of) };
  const describe = (what: string, extra = '') => `${what}${of ? `, items of ${of} only` : ''}. ${CHART_COUNTING_RULE}${extra}`;
  const lower = field.label.toLowerCase();
  const titled = (title: string) => (of ? `${title}: ${of}` : title);

  if (field.type === 'ordinal') {
    const categories = (field as ScaleField).scale.map((p) => ({ key: String(p.value), label: `${p.value} ${p.label}`, parent: null }));
    return {
      ...base,
      title: titled(`${field.label} per incident`),
      description: describe(`Items per ${lower} score and incident`),
      categories,
      series: incidentSeries.map((s) => ({ key: s.key, label: s.label, values: categories.map((c) => tally(s.pool, (v) => v.includes(c.key))), items: shareOf(s.pool) })),
    };
  }

  const choice = field as ChoiceField;
  const { isUnder, children } = hierarchy(choice);
  switch (chart) {
    case 'parent-frames': {
      const parents = children(null);
      return {
        ...base,
        title: titled(`Chart 1: Parent ${lower}`),
        description: describe(`Items per parent ${lower}`, ' An item counts for a parent when it has the parent or any frame below it.'),
        categories: parents.map((o) => ({ key: o.value, label: o.label, parent: null })),
        series: oneSeries(parents.map((p) => tally(counted, (v) => v.some((x) => isUnder(x, p.value))))),
      };
    }
    case 'platforms':
      return {
        ...base,
        title: titled(`Chart 2: ${field.label}`),
        description: describe(`Items per ${lower}`),
        categories: choice.options.map((o) => ({ key: o.value, label: o.label, parent: o.parent })),
        series: oneSeries(choice.options.map((o) => tally(counted, (v) => v.includes(o.value)))),
      };
    case 'frames-by-incident': {
      const perIncident = incidentSeries.map((s) => ({ key: s.key, label: s.label, values: choice.options.map((o) => tally(s.pool, (v) => v.includes(o.value))), items: shareOf(s.pool) }));
      const used = choice.options.map((_, i) => perIncident.some((s) => s.values[i]! > 0));
      return {
        ...base,
        title: of ? `Chart 3: ${field.label}: ${of}` : `Chart 3: ${field.label} per incident`,
        description: describe(`Items per ${lower} as coded (child or parent) and incident; frames no item has are not drawn`),
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
        title: titled(`Table 1: ${field.label}`),
        description: describe(`Items per ${lower}, parents with the frames below them`, ' A row counts the items that have its frame or any frame below it.'),
        categories: rows,
        series: oneSeries(rows.map((r) => tally(counted, (v) => v.some((x) => isUnder(x, r.key))))),
      };
    }
  }
}
