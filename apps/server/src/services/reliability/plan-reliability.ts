/**
 * The reliability planner (issue 14 item 11): how many items and coders a reliability round
 * needs for the lower bound of the field's 95% bootstrap interval to reach a target with a
 * given probability, simulated with the bootstrap GET …/reliability reports
 * (`@concord/reliability` planReliability), and the round that follows.
 *
 * The model comes from a pilot (the field's blind codings of revealed items, exactly the
 * data of GET …/reliability: its alpha and value distribution) or from an expected alpha
 * and value distribution. The pilot is data managers already see on the reliability page,
 * so the planner shows nothing new about coders; it is the methodologist's and owner's
 * (`reliability.plan`) because it costs CPU. The computation pauses every 20 ms so the
 * event loop keeps serving the live documents, and its total work is capped (PLAN_BUDGET).
 */
import { and, asc, eq, isNull, notExists } from 'drizzle-orm';
import { assignments, items } from '@concord/db';
import {
  createRandom,
  type CodingModel,
  isReliabilityError,
  modelFromPilot,
  planReliabilityAsync,
  type AlphaLevel,
  type ReliabilityPlan,
} from '@concord/reliability';
import type { FieldDefinition, ReliabilityPlanRequest, ReliabilityPlanResult } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { declaredCategories, fieldMatrix, type FieldCell } from './field-matrix.ts';
import { CONFIDENCE, fieldData } from './field-reliability.ts';
import { loadRevealedCodings, reliabilityRows } from './revealed-codings.ts';

/**
 * Most work one plan may do (value draws, simulations x replicates x items x coders, ordinal
 * ones counted three times, summed over the candidates tried): about 16 s of one core on
 * the loaded 2-core host at 55 ns a draw (bench/reliability-planner.ts; see the package
 * README). The search stops before a candidate that would pass it and says so.
 */
export const PLAN_BUDGET = 3e8;

const invalid = (message: string, path: (string | number)[] = []) => new AppError('VALIDATION_FAILED', message, [{ path, message }]);

const levelOf = (field: FieldDefinition): AlphaLevel => (field.type === 'ordinal' ? 'ordinal' : field.type === 'number' ? 'interval' : 'nominal');

interface Model {
  model: CodingModel;
  pilotAlpha: number | null;
  pilotUnits: number | null;
  pilotCoders: number | null;
  labels: string[];
}

async function pilotModel(ctx: ServiceContext, projectId: string, field: FieldDefinition): Promise<Model> {
  // The rows GET …/reliability measures: blind, not imported, revealed items only.
  const { rows } = reliabilityRows(await loadRevealedCodings({ ctx, projectId, filters: { field: field.key } }), { includeImported: false });
  const cells: FieldCell[] = rows.map((r) => ({ unit: r.itemId, coder: r.email, value: r.value }));
  const matrix = fieldMatrix(cells);
  if (matrix.coders.length < 2) {
    throw invalid(`the pilot needs blind codings of "${field.key}" on revealed items by at least two coders, found ${matrix.coders.length}`, ['source']);
  }
  const d = fieldData(field, matrix)!;
  try {
    const pilot = d.kind === 'sets' ? modelFromPilot(d.data, { setDistance: 'masi' }) : modelFromPilot(d.data, { level: d.level });
    const labels = d.kind === 'sets' ? d.data.sets.map((s) => Array.from(s, (c) => d.data.categories[c] ?? '').join('|')) : [...d.data.categories];
    return { model: pilot, pilotAlpha: pilot.pilotAlpha, pilotUnits: pilot.nPairableUnits, pilotCoders: matrix.coders.length, labels };
  } catch (error) {
    if (isReliabilityError(error)) throw invalid(`the pilot of "${field.key}" cannot be used: ${error.message}`, ['source']);
    throw error;
  }
}

function expectedModel(field: FieldDefinition, alpha: number, distribution: { value: string; weight: number }[] | undefined): Model {
  if (field.type === 'multiple_choice' || field.type === 'link') {
    throw invalid(`"${field.key}" holds sets of values: plan it from a pilot, whose distribution of sets the simulation needs`, ['source', 'type']);
  }
  const level = levelOf(field);
  let categories = declaredCategories(field, false);
  if (!categories) {
    // Numbers have no declared values: the distribution names them.
    if (!distribution) throw invalid(`"${field.key}" is a number field: give the distribution of its values`, ['source', 'distribution']);
    categories = distribution.map((d) => d.value.trim());
    categories.forEach((c, i) => {
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(c)) throw invalid(`"${c}" is not a number`, ['source', 'distribution', i, 'value']);
    });
    categories = [...new Set(categories)].sort((a, b) => Number(a) - Number(b));
  }
  const weights = new Map<string, number>();
  if (distribution) {
    distribution.forEach((d, i) => {
      const value = d.value.trim();
      if (!categories.includes(value)) throw invalid(`"${value}" is not a value of "${field.key}"`, ['source', 'distribution', i, 'value']);
      weights.set(value, (weights.get(value) ?? 0) + d.weight);
    });
  }
  const probabilities = categories.map((c) => (distribution ? (weights.get(c) ?? 0) : 1));
  if (probabilities.filter((p) => p > 0).length < 2) throw invalid('the distribution needs weight on at least two values', ['source', 'distribution']);
  return { model: { field: { kind: 'single', categories, level }, alpha, probabilities }, pilotAlpha: null, pilotUnits: null, pilotCoders: null, labels: categories };
}

/** Items a new round can take: not archived, still independent, assigned to nobody; a seeded draw of `count`. */
async function freshItems(ctx: ServiceContext, projectId: string, count: number, seed: number): Promise<{ itemIds: string[]; available: number }> {
  const rows = await ctx.db
    .select({ id: items.id })
    .from(items)
    .where(
      and(
        eq(items.projectId, projectId),
        isNull(items.archivedAt),
        eq(items.phase, 'independent'),
        notExists(ctx.db.select({ one: assignments.id }).from(assignments).where(eq(assignments.itemId, items.id))),
      ),
    )
    .orderBy(asc(items.seq));
  const ids = rows.map((r) => r.id);
  const random = createRandom(seed);
  // Partial Fisher-Yates: the first `count` places are a uniform sample.
  const take = Math.min(count, ids.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (ids.length - i));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return { itemIds: ids.slice(0, take), available: ids.length };
}

const pauseForIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function planReliabilityRound({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: ReliabilityPlanRequest }): Promise<ReliabilityPlanResult> {
  await authorize({ ctx, projectId, action: 'reliability.plan' });
  const codebook = await loadCodebook({ ctx, projectId });
  const field = codebook.fields.find((f) => f.key === input.field);
  if (!field) throw invalid(`unknown field "${input.field}"`, ['field']);
  if (field.type === 'text') throw invalid(`"${field.key}" is a text field: it has no agreement coefficient to plan for`, ['field']);
  const m = input.source.type === 'pilot' ? await pilotModel(ctx, projectId, field) : expectedModel(field, input.source.alpha, input.source.distribution);

  let result: ReliabilityPlan;
  try {
    result = await planReliabilityAsync(
      {
        model: m.model,
        target: input.target,
        probability: input.probability,
        coders: { min: input.minCoders, max: input.maxCoders },
        items: { min: input.minItems, max: input.maxItems },
        simulations: input.simulations,
        replicates: input.replicates,
        confidence: CONFIDENCE,
        seed: input.seed,
        budget: PLAN_BUDGET,
      },
      pauseForIo,
    );
  } catch (error) {
    if (isReliabilityError(error)) throw invalid(error.message);
    throw error;
  }
  const total = m.model.probabilities.reduce((a, b) => a + b, 0);
  return {
    field: field.key,
    level: m.model.field.kind === 'sets' ? 'masi' : m.model.field.level,
    model: {
      source: input.source.type,
      alpha: m.model.alpha,
      pilotAlpha: m.pilotAlpha,
      pilotUnits: m.pilotUnits,
      pilotCoders: m.pilotCoders,
      distribution: m.labels.map((value, i) => ({ value, probability: (m.model.probabilities[i] ?? 0) / total })).filter((d) => d.probability > 0),
    },
    target: input.target,
    probability: input.probability,
    confidence: result.confidence,
    simulations: result.simulations,
    replicates: result.replicates,
    seed: result.seed,
    plan: result.plan,
    reason: result.reason,
    candidates: result.candidates.map((c) => ({ coders: c.coders, items: c.items, share: c.evaluation?.share ?? null, reason: c.reason })),
    evaluations: [...result.evaluations],
    work: result.work,
    budget: result.budget,
    budgetExhausted: result.budgetExhausted,
    assignment: result.plan ? await freshItems(ctx, projectId, result.plan.items, input.seed) : null,
  };
}
