/**
 * The methodologist's view of calibration: each coder's agreement with gold per field, overall
 * and over time (by round or by week of submission), and whether she is ready for production
 * coding (alpha against gold at least the threshold on every field with data).
 *
 * Data: submitted codings of revealed items that have gold, as reliability reads them (a
 * coder's values of an item still blind to others are nobody else's to measure, SECURITY.md
 * rule 1), from calibration rounds unless `rounds=all`.
 */
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { adjudications, assignments, codings, goldValues, items, rounds, users } from '@concord/db';
import type { CalibrationCoder, CalibrationQuery, CalibrationReport, CodingValue, FieldDefinition, GoldAgreement } from '@concord/shared';
import { authorize } from '../authz.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import type { ServiceContext } from '../context.ts';
import { weekOf } from '../reliability/field-drilldown.ts';
import { agreementWithGold, type GoldPair } from './agreement.ts';
import { loadGold, type GoldKey } from './gold.ts';

interface Row {
  itemId: string;
  coderId: string;
  email: string;
  name: string;
  fieldKey: string;
  value: CodingValue;
  submittedAt: Date | null;
  roundId: string | null;
  roundName: string | null;
  roundCreatedAt: Date | null;
}

async function goldCodings(ctx: ServiceContext, projectId: string, query: CalibrationQuery): Promise<Row[]> {
  const withGold = or(
    inArray(codings.itemId, ctx.db.select({ id: goldValues.itemId }).from(goldValues).where(eq(goldValues.projectId, projectId))),
    inArray(codings.itemId, ctx.db.select({ id: adjudications.itemId }).from(adjudications).where(and(eq(adjudications.projectId, projectId), eq(adjudications.status, 'decided')))),
  );
  return ctx.db
    .select({
      itemId: codings.itemId,
      coderId: codings.coderId,
      email: users.email,
      name: users.name,
      fieldKey: codings.fieldKey,
      value: codings.value,
      submittedAt: codings.submittedAt,
      roundId: rounds.id,
      roundName: rounds.name,
      roundCreatedAt: rounds.createdAt,
    })
    .from(codings)
    .innerJoin(items, eq(items.id, codings.itemId))
    .innerJoin(users, eq(users.id, codings.coderId))
    .leftJoin(assignments, and(eq(assignments.itemId, codings.itemId), eq(assignments.coderId, codings.coderId)))
    .leftJoin(rounds, eq(rounds.id, assignments.roundId))
    .where(
      and(
        eq(codings.projectId, projectId),
        eq(codings.status, 'submitted'),
        eq(items.phase, 'revealed'),
        withGold,
        query.rounds === 'calibration' ? eq(rounds.type, 'calibration') : undefined,
      ),
    )
    .orderBy(asc(users.email), asc(codings.itemId));
}

function pairsOf(rows: readonly Row[], gold: GoldKey, fieldKey: string): GoldPair[] {
  return rows.flatMap((r) => {
    const g = r.fieldKey === fieldKey ? gold.get(r.itemId)?.get(fieldKey) : undefined;
    return g && g.value !== null ? [{ itemId: r.itemId, value: r.value, gold: g.value }] : [];
  });
}

const agreements = (fields: readonly FieldDefinition[], rows: readonly Row[], gold: GoldKey): GoldAgreement[] =>
  fields.map((f) => agreementWithGold(f, pairsOf(rows, gold, f.key)));

function periodsOf(rows: readonly Row[], by: CalibrationQuery['by']): { key: string; label: string; rows: Row[] }[] {
  const groups = new Map<string, { key: string; label: string; order: string; rows: Row[] }>();
  for (const r of rows) {
    const week = r.submittedAt ? weekOf(r.submittedAt) : null;
    const key = by === 'round' ? (r.roundId ?? 'none') : (week ?? 'unknown');
    const label = by === 'round' ? (r.roundName ?? 'No round') : week ? `Week of ${week}` : 'Submission date unknown';
    const order = by === 'round' ? (r.roundCreatedAt?.toISOString() ?? '~') : (week ?? '~');
    const group = groups.get(key) ?? { key, label, order, rows: [] };
    group.rows.push(r);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
}

export async function getCalibration({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: CalibrationQuery }): Promise<CalibrationReport> {
  await authorize({ ctx, projectId, action: 'reliability.read' });
  const [codebook, gold, rows] = await Promise.all([loadCodebook({ ctx, projectId }), loadGold({ ctx, projectId }), goldCodings(ctx, projectId, query)]);
  const fields = codebook.fields.filter((f) => f.type !== 'text');
  const byCoder = new Map<string, Row[]>();
  for (const r of rows) {
    const own = byCoder.get(r.coderId) ?? [];
    own.push(r);
    byCoder.set(r.coderId, own);
  }

  const coders: CalibrationCoder[] = [...byCoder.values()].map((own) => {
    const overall = agreements(fields, own, gold);
    const measured = overall.filter((a) => a.n > 0);
    return {
      coderId: own[0]!.coderId,
      email: own[0]!.email,
      name: own[0]!.name,
      fields: overall,
      periods: periodsOf(own, query.by).map((p) => ({ key: p.key, label: p.label, fields: agreements(fields, p.rows, gold) })),
      ready: measured.length > 0 && measured.every((a) => a.alpha !== null && a.alpha >= query.threshold),
    };
  });
  const sources = [...gold.values()].flatMap((byField) => [...byField.values()].map((g) => g.source));
  const imported = sources.filter((s) => s === 'imported').length;
  return {
    threshold: query.threshold,
    rounds: query.rounds,
    by: query.by,
    fields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type })),
    gold: { imported, decided: sources.length - imported },
    coders,
  };
}
