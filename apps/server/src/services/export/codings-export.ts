/**
 * Codings exports for reliability analysis: submitted codings of revealed items only,
 * so nothing blind ever leaves through an export, and adjudication never alters them.
 */
import { and, asc, eq } from 'drizzle-orm';
import { codings, items, users } from '@concord/db';
import { formatValue } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { csvTable, type CsvText } from './csv.ts';

export type CodingsLayout = 'long' | 'wide';

export async function exportCodingsCsv(ctx: ServiceContext, projectId: string, options: { layout: CodingsLayout; field?: string | undefined }): Promise<CsvText> {
  await authorize(ctx, projectId, 'export.read');
  if (options.layout === 'wide' && !options.field) {
    throw new AppError('VALIDATION_FAILED', 'the wide layout holds one field: add ?field=KEY');
  }
  if (options.field) {
    const codebook = await loadCodebook(ctx, projectId);
    if (!codebook.fields.some((f) => f.key === options.field)) throw new AppError('VALIDATION_FAILED', `unknown field "${options.field}"`);
  }
  const where = [eq(codings.projectId, projectId), eq(codings.status, 'submitted'), eq(items.phase, 'revealed')];
  if (options.field) where.push(eq(codings.fieldKey, options.field));
  const rows = await ctx.db
    .select({ unit: items.id, externalId: items.externalId, coder: users.email, field: codings.fieldKey, value: codings.value })
    .from(codings)
    .innerJoin(items, eq(items.id, codings.itemId))
    .innerJoin(users, eq(users.id, codings.coderId))
    .where(and(...where))
    .orderBy(asc(items.seq), asc(users.email), asc(codings.fieldKey));

  if (options.layout === 'long') {
    return csvTable(['unit', 'coder', 'field', 'value'], rows.map((r) => [r.unit, r.coder, r.field, formatValue(r.value)]));
  }
  const coders = [...new Set(rows.map((r) => r.coder))].sort();
  const units = new Map<string, Map<string, string>>();
  for (const r of rows) {
    if (!units.has(r.unit)) units.set(r.unit, new Map());
    units.get(r.unit)!.set(r.coder, formatValue(r.value));
  }
  return csvTable(['unit', ...coders], [...units].map(([unit, byCoder]) => [unit, ...coders.map((c) => byCoder.get(c) ?? '')]));
}
