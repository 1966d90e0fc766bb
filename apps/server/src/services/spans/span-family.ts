/**
 * The span coefficients of one taggable field on a set of submitted coders (pure): the
 * field-level unitizing alphas, per frame, per coder pair and per incident, each with its
 * bootstrap interval over items. Every number comes from @concord/reliability.
 */
import { bootstrapUnitizingAlpha, unitizingAlpha, type BootstrapResult, type Continuum, type UnitizingAlphaResult, type UnitizingCoefficient } from '@concord/reliability';
import type { SpanCoefficient, SpanFamily, SpanField, TaggableField } from '@concord/shared';
import { fieldUnits, frameUnits, type Tag } from './span-units.ts';
import type { CoderSpans } from './span-tags.ts';

export interface Bootstrap {
  replicates: number;
  seed: number;
}

const CONFIDENCE = 0.95;

function coefficient(c: UnitizingCoefficient, ci: BootstrapResult | undefined): SpanCoefficient {
  return { value: c.value, reason: c.reason, ci: ci && c.value !== null ? { low: ci.low, high: ci.high, level: ci.confidence } : null };
}

/** Item -> its coders' rows, in first-seen order. */
function byItem(rows: readonly CoderSpans[]): CoderSpans[][] {
  const groups = new Map<string, CoderSpans[]>();
  for (const r of rows) {
    if (!groups.has(r.itemId)) groups.set(r.itemId, []);
    groups.get(r.itemId)!.push(r);
  }
  return [...groups.values()];
}

function run(continua: Continuum[], bootstrap: Bootstrap | null): { result: UnitizingAlphaResult; intervals: ReturnType<typeof bootstrapUnitizingAlpha>['intervals'] | null } {
  if (!bootstrap) return { result: unitizingAlpha({ continua }), intervals: null };
  return bootstrapUnitizingAlpha({ continua, replicates: bootstrap.replicates, seed: bootstrap.seed, confidence: CONFIDENCE });
}

export function spanField(field: TaggableField, rows: readonly CoderSpans[], incidents: readonly { id: string; name: string }[], bootstrap: Bootstrap | null): SpanField {
  const order = field.options.map((o) => o.value);
  const tagsOf = (r: CoderSpans): Tag[] => r.tags.filter((t) => t.fieldKey === field.key);
  let combined = 0;
  let tagged = 0;

  const family = (subset: readonly CoderSpans[]): SpanFamily & { run: ReturnType<typeof run> } => {
    const items = byItem(subset).filter((coders) => coders.length >= 2);
    const continua = items.map((coders) => ({ length: coders[0]!.body.length, coders: coders.map((r) => fieldUnits(tagsOf(r), order).units) }));
    const done = run(continua, bootstrap);
    return {
      run: done,
      u: coefficient(done.result.u, done.intervals?.u),
      binary: coefficient(done.result.binary, done.intervals?.binary),
      cu: coefficient(done.result.coding, done.intervals?.coding),
      n_items: items.length,
      n_coders: new Set(items.flat().map((r) => r.coderId)).size,
      n_tags: items.flat().reduce((n, r) => n + tagsOf(r).length, 0),
    };
  };
  const strip = ({ run: _run, ...rest }: SpanFamily & { run: unknown }): SpanFamily => rest;

  for (const r of rows) {
    const { units, combinedLength } = fieldUnits(tagsOf(r), order);
    combined += combinedLength;
    tagged += units.reduce((n, u) => n + u.end - u.start, 0);
  }

  const overall = family(rows);
  const pairable = byItem(rows).filter((coders) => coders.length >= 2);
  const frames = field.options.map((option) => {
    const continua = pairable.map((coders) => ({ length: coders[0]!.body.length, coders: coders.map((r) => frameUnits(tagsOf(r), option.value)) }));
    const binary = run(continua, bootstrap);
    const at = overall.run.result.categories.indexOf(option.value);
    const cu = at >= 0 ? overall.run.result.perValue[at]! : null;
    return {
      frame: option.value,
      label: option.label,
      n_tags: pairable.flat().reduce((n, r) => n + tagsOf(r).filter((t) => t.frame === option.value).length, 0),
      u: coefficient(binary.result.u, binary.intervals?.u),
      cu: cu ? coefficient(cu, overall.run.intervals?.perValue[at]) : { value: null, ci: null, reason: `no coder tagged "${option.label}" alone on a passage another coder tagged` },
      coverage: cu?.coverage ?? null,
    };
  });

  const coders = [...new Set(rows.map((r) => r.coderId))].sort();
  const pairs: SpanField['pairs'] = [];
  for (let i = 0; i < coders.length; i++) {
    for (let j = i + 1; j < coders.length; j++) {
      const pair = new Set([coders[i], coders[j]]);
      const subset = pairable.flatMap((g) => (g.filter((r) => pair.has(r.coderId)).length === 2 ? g.filter((r) => pair.has(r.coderId)) : []));
      if (subset.length) pairs.push({ coders: [coders[i]!, coders[j]!], ...strip(family(subset)) });
    }
  }
  const incidentRows = incidents.flatMap((incident) => {
    const subset = rows.filter((r) => r.incidentIds.includes(incident.id));
    if (!byItem(subset).some((g) => g.length >= 2)) return [];
    return [{ incident, ...strip(family(subset)) }];
  });

  return {
    key: field.key,
    label: field.label,
    overall: strip(overall),
    frames,
    pairs,
    incidents: incidentRows,
    overlap_percent: tagged > 0 ? (100 * combined) / tagged : 0,
  };
}
