/**
 * Imports an answer key (gold values) from CSV or JSON rows: all or nothing, checked against
 * the current codebook, one audit entry with the upload's hash and counts. Rows name the item
 * by id or external id; a row for an (item, field) already in the key replaces its value.
 * csv-parse is imported on first use, not at start (bench/README.md, "Memory at start").
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { goldValues, items } from '@concord/db';
import { checkValue, readValueCell, sameValue, type CodingValue, type ErrorDetail, type FieldDefinition, type GoldImportInput, type GoldImportResult } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { inTransaction, type ServiceContext } from '../context.ts';

/** Problems reported at most (the first ones, by row). */
const MAX_PROBLEMS = 100;
/** Rows per INSERT statement (PostgreSQL takes at most 65,535 parameters; 7 a row). */
const WRITE_CHUNK = 1000;

interface RawRow {
  /** 1-based data row (CSV: the header is row 0), as problems name it. */
  row: number;
  itemId?: string | undefined;
  externalId?: string | undefined;
  field: string;
  value: unknown;
  rationale: string;
  /** A CSV cell (read as the exports write values; empty is no value) rather than a JSON value. */
  cell: boolean;
}

interface GoldWrite {
  itemId: string;
  fieldKey: string;
  value: CodingValue | null;
  rationale: string;
}

async function csvRows(text: string): Promise<RawRow[]> {
  const { parse } = await import('csv-parse/sync');
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `the CSV cannot be read: ${(err as Error).message}`);
  }
  const header = records.length ? Object.keys(records[0]!) : [];
  const missing = ['field', 'value'].filter((c) => !header.includes(c));
  if (!header.includes('item_id') && !header.includes('external_id')) missing.unshift('item_id or external_id');
  if (records.length && missing.length) throw new AppError('VALIDATION_FAILED', `the CSV needs the columns ${missing.join(', ')}`);
  if (!records.length) throw new AppError('VALIDATION_FAILED', 'the CSV has no data rows');
  return records.map((r, i) => ({
    row: i + 1,
    itemId: r.item_id?.trim() || undefined,
    externalId: r.external_id?.trim() || undefined,
    field: (r.field ?? '').trim(),
    value: r.value ?? '',
    rationale: r.rationale ?? '',
    cell: true,
  }));
}

/** A JSON value is taken as it is when its field accepts it, else read like a CSV cell. */
function valueOf(field: FieldDefinition, raw: unknown): { ok: true; value: CodingValue | null } | { ok: false; message: string } {
  if (raw === null) return { ok: true, value: null };
  if (typeof raw === 'string' && field.type !== 'text' && field.type !== 'single_choice') return readValueCell(field, raw);
  const problem = checkValue(field, raw as CodingValue);
  if (!problem) return { ok: true, value: raw as CodingValue };
  return typeof raw === 'string' ? readValueCell(field, raw) : { ok: false, message: problem };
}

export async function importGold({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: GoldImportInput }): Promise<GoldImportResult> {
  await authorize({ ctx, projectId, action: 'gold.write' });
  const isCsv = 'csv' in input;
  const sha256 = createHash('sha256').update(isCsv ? input.csv : JSON.stringify(input.rows)).digest('hex');
  const raw: RawRow[] = isCsv
    ? await csvRows(input.csv)
    : input.rows.map((r, i) => ({ row: i + 1, itemId: r.item_id, externalId: r.external_id, field: r.field, value: r.value, rationale: r.rationale ?? '', cell: false }));

  return inTransaction(ctx, async (tx) => {
    const codebook = await loadCodebook({ ctx: tx, projectId });
    const fields = new Map(codebook.fields.map((f) => [f.key, f]));
    const ids = [...new Set(raw.flatMap((r) => (r.itemId ? [r.itemId] : [])))];
    const externalIds = [...new Set(raw.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
    const known = ids.length
      ? new Set((await tx.db.select({ id: items.id }).from(items).where(and(eq(items.projectId, projectId), inArray(items.id, ids)))).map((r) => r.id))
      : new Set<string>();
    const byExternal = new Map<string, string>();
    if (externalIds.length) {
      const rows = await tx.db.select({ id: items.id, externalId: items.externalId }).from(items).where(and(eq(items.projectId, projectId), inArray(items.externalId, externalIds)));
      for (const r of rows) if (r.externalId !== null) byExternal.set(r.externalId, r.id);
    }

    const problems: ErrorDetail[] = [];
    const problem = (r: RawRow, column: string, message: string) => problems.push({ row: r.row, column, message: `row ${r.row}: ${message}` });
    const writes = new Map<string, GoldWrite>();
    for (const r of raw) {
      const itemId = r.itemId ? (known.has(r.itemId) ? r.itemId : null) : (byExternal.get(r.externalId!) ?? null);
      if (!itemId) problem(r, r.itemId ? 'item_id' : 'external_id', `no item "${r.itemId ?? r.externalId}" in this project`);
      const field = fields.get(r.field);
      if (!field) problem(r, 'field', `no field "${r.field}" in the current codebook`);
      if (!itemId || !field) continue;
      const value = r.cell ? readValueCell(field, String(r.value)) : valueOf(field, r.value);
      if (!value.ok) {
        problem(r, 'value', value.message);
        continue;
      }
      const key = `${itemId}\u0000${field.key}`;
      if (writes.has(key)) problem(r, 'field', `item "${r.itemId ?? r.externalId}" has a second row for "${field.key}"`);
      writes.set(key, { itemId, fieldKey: field.key, value: value.value, rationale: r.rationale.trim() });
    }
    if (problems.length) {
      throw new AppError('VALIDATION_FAILED', `the answer key has ${problems.length} problem(s); nothing was imported`, problems.slice(0, MAX_PROBLEMS));
    }

    const existing = new Map(
      (
        await tx.db
          .select({ itemId: goldValues.itemId, fieldKey: goldValues.fieldKey, value: goldValues.value, rationale: goldValues.rationale })
          .from(goldValues)
          .where(and(eq(goldValues.projectId, projectId), inArray(goldValues.itemId, [...new Set([...writes.values()].map((w) => w.itemId))])))
      ).map((r) => [`${r.itemId}\u0000${r.fieldKey}`, r]),
    );
    let inserted = 0;
    let updated = 0;
    const changed: GoldWrite[] = [];
    for (const [key, w] of writes) {
      const before = existing.get(key);
      if (before && sameValue(before.value, w.value) && before.rationale === w.rationale) continue;
      if (before) updated++;
      else inserted++;
      changed.push(w);
    }
    for (let i = 0; i < changed.length; i += WRITE_CHUNK) {
      await tx.db
        .insert(goldValues)
        .values(changed.slice(i, i + WRITE_CHUNK).map((w) => ({ projectId, ...w, codebookVersionId: codebook.versionId, importedBy: ctx.actor?.userId ?? null })))
        .onConflictDoUpdate({
          target: [goldValues.itemId, goldValues.fieldKey],
          set: {
            value: sql`excluded.value`,
            rationale: sql`excluded.rationale`,
            codebookVersionId: sql`excluded.codebook_version_id`,
            importedBy: sql`excluded.imported_by`,
            importedAt: sql`now()`,
          },
        });
    }
    const result = { rows: raw.length, inserted, updated, unchanged: writes.size - inserted - updated, sha256 };
    await audit({ ctx: tx, entry: {
      projectId,
      entity: 'gold',
      entityId: projectId,
      action: 'import',
      after: { ...result, format: isCsv ? 'csv' : 'json', codebookVersion: codebook.version, fields: [...new Set(changed.map((w) => w.fieldKey))] },
    } });
    return result;
  });
}
