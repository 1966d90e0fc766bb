/**
 * Item import, all-or-nothing: every row is parsed and checked first; only a file
 * without problems is written, in one transaction. A failed import changes nothing.
 */
import { Readable, pipeline } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { bulkInsert, imports, incidents, items } from '@concord/db';
import { newId, type ErrorDetail, type ImportMapping, type ImportResult } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { convertRow, resolveMapping, type ImportedItem } from './row.ts';

export const MAX_IMPORT_ROWS = 100_000;
const MAX_REPORTED_ERRORS = 100;

export type ImportSource =
  | { format: 'csv'; body: AsyncIterable<Uint8Array | string>; mapping: ImportMapping; filename?: string | undefined }
  | { format: 'json'; records: unknown; filename?: string | undefined };

class RowCollector {
  readonly items: ImportedItem[] = [];
  readonly errors: ErrorDetail[] = [];
  errorCount = 0;

  add(result: ReturnType<typeof convertRow>) {
    if ('item' in result) this.items.push(result.item);
    else {
      this.errorCount += result.errors.length;
      for (const e of result.errors) if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(e);
    }
  }
}

function tooMany(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `an import holds at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows`);
}

async function collectCsv(body: AsyncIterable<Uint8Array | string>, mapping: ImportMapping, out: RowCollector) {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 2_000_000 });
  // pipeline (not pipe) so a failing body, e.g. over the size limit, fails the parser too.
  pipeline(Readable.from(body), parser, () => {});
  let header: string[] | null = null;
  let columns: ReturnType<typeof resolveMapping>['columns'] = {};
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record.map((h) => h.trim());
        const resolved = resolveMapping(header, mapping);
        if (resolved.errors.length) throw new AppError('IMPORT_FAILED', 'the CSV header does not fit the mapping', resolved.errors);
        columns = resolved.columns;
        continue;
      }
      row += 1;
      if (row > MAX_IMPORT_ROWS) throw tooMany();
      out.add(convertRow(record, header, columns, row));
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new AppError('IMPORT_FAILED', `malformed CSV${line ? ` at line ${line}` : ''}: ${err.message}`, [
        { ...(line ? { row: Math.max(1, line - 1) } : {}), message: err.message },
      ]);
    }
    throw err;
  }
  if (!header) throw new AppError('IMPORT_FAILED', 'the CSV is empty: it needs a header row');
}

function collectJson(records: unknown, out: RowCollector) {
  if (!Array.isArray(records)) throw new AppError('IMPORT_FAILED', 'a JSON import is an array of item objects');
  if (records.length > MAX_IMPORT_ROWS) throw tooMany();
  const keys = new Set<string>();
  for (const r of records) if (r && typeof r === 'object' && !Array.isArray(r)) for (const k of Object.keys(r)) keys.add(k);
  const header = [...keys];
  const { columns, errors } = resolveMapping(header, {});
  if (errors.length) throw new AppError('IMPORT_FAILED', 'the JSON records do not have the required keys', errors);
  records.forEach((r, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      out.add({ errors: [{ row: i + 1, message: 'is not an object' }] });
      return;
    }
    const cells = header.map((k) => {
      const v = (r as Record<string, unknown>)[k];
      return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
    out.add(convertRow(cells, header, columns, i + 1));
  });
}

async function checkExternalIds(ctx: ServiceContext, projectId: string, rows: ImportedItem[], out: RowCollector) {
  const seen = new Map<string, number>();
  rows.forEach((item, i) => {
    if (!item.externalId) return;
    const first = seen.get(item.externalId);
    if (first !== undefined) out.add({ errors: [{ row: i + 1, column: 'externalId', message: `duplicate external id "${item.externalId}" (first on row ${first})` }] });
    else seen.set(item.externalId, i + 1);
  });
  if (!seen.size) return;
  // One JSON parameter instead of one bind parameter per id (PostgreSQL caps both lists and binds).
  const taken = await ctx.db
    .select({ externalId: items.externalId })
    .from(items)
    .where(and(eq(items.projectId, projectId), isNotNull(items.externalId), sql`${items.externalId} in (select jsonb_array_elements_text(${JSON.stringify([...seen.keys()])}::jsonb))`));
  for (const t of taken) {
    out.add({ errors: [{ row: seen.get(t.externalId!)!, column: 'externalId', message: `external id "${t.externalId}" is already in the project` }] });
  }
}

export async function importItems(ctx: ServiceContext, projectId: string, source: ImportSource): Promise<ImportResult> {
  const { actor } = await authorize(ctx, projectId, 'items.import');
  const out = new RowCollector();
  const started = performance.now();
  if (source.format === 'csv') await collectCsv(source.body, source.mapping, out);
  else collectJson(source.records, out);
  const parsedAt = performance.now();
  await checkExternalIds(ctx, projectId, out.items, out);
  const checkedAt = performance.now();
  if (out.errorCount > 0) {
    const shown = out.errorCount > out.errors.length ? ` (the first ${out.errors.length} are listed)` : '';
    throw new AppError('IMPORT_FAILED', `${out.errorCount} problem(s) in the file; nothing was imported${shown}`, out.errors);
  }
  if (out.items.length === 0) throw new AppError('IMPORT_FAILED', 'the file has no rows');

  const result = await inTransaction(ctx, async (tx) => {
    const existing = await tx.db.select({ id: incidents.id, name: incidents.name }).from(incidents).where(eq(incidents.projectId, projectId));
    const incidentIds = new Map(existing.map((r) => [r.name, r.id]));
    let incidentsCreated = 0;
    for (const item of out.items) {
      if (item.incidentName && !incidentIds.has(item.incidentName)) {
        const id = newId('incident');
        await tx.db.insert(incidents).values({ id, projectId, name: item.incidentName });
        incidentIds.set(item.incidentName, id);
        incidentsCreated += 1;
      }
    }
    const importId = newId('import');
    await tx.db.insert(imports).values({
      id: importId,
      projectId,
      createdBy: actor.userId,
      format: source.format,
      filename: source.filename ?? null,
      rowCount: out.items.length,
    });
    await bulkInsert(
      tx.db,
      items,
      out.items.map(({ incidentName, ...item }) => ({
        id: newId('item'),
        projectId,
        importId,
        incidentId: incidentName ? incidentIds.get(incidentName)! : null,
        ...item,
      })),
      // The project was authorized above; the import row and every incident were read or written in this transaction.
      { referencesVerified: true },
    );
    return { importId, inserted: out.items.length, incidentsCreated };
  });
  const ms = (a: number, b: number) => Math.round(b - a);
  ctx.logger.info(
    { projectId, rows: result.inserted, parseMs: ms(started, parsedAt), checkMs: ms(parsedAt, checkedAt), writeMs: ms(checkedAt, performance.now()) },
    'items imported',
  );
  return result;
}
