/**
 * Item import, all-or-nothing: every row is parsed and checked first; only a file
 * without problems is written, in one transaction. A failed import changes nothing.
 * Rows the caller asks to skip are left out before the checks; `checkImport` is the dry run.
 */
import { Readable, pipeline } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { bulkInsert, imports, incidents, itemIncidents, items } from '@concord/db';
import { newId, type ErrorDetail, type ImportCheck, type ImportMapping, type ImportResult, type ImportTarget } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { convertRow, resolveMapping, type ImportedItem, type ResolvedMapping } from './row.ts';

export const MAX_IMPORT_ROWS = 100_000;
const MAX_REPORTED_ERRORS = 100;

export type ImportSource =
  | { format: 'csv'; body: AsyncIterable<Uint8Array | string>; mapping: ImportMapping; filename?: string | undefined }
  | { format: 'json'; records: unknown; filename?: string | undefined };

export interface ImportOptions {
  /** 1-based data rows to leave out; they are neither checked nor written. */
  skipRows?: readonly number[];
}

class RowCollector {
  readonly items: ImportedItem[] = [];
  /** The file's data row of each entry of `items`. */
  readonly rowOf: number[] = [];
  readonly errors: ErrorDetail[] = [];
  readonly skipped: number[] = [];
  readonly problemRows = new Set<number>();
  errorCount = 0;
  rows = 0;
  header: string[] = [];
  columns: ResolvedMapping = {};

  constructor(private readonly skip: ReadonlySet<number>) {}

  /** Counts a data row; false when it is to be skipped. */
  take(row: number): boolean {
    this.rows = Math.max(this.rows, row);
    if (!this.skip.has(row)) return true;
    this.skipped.push(row);
    return false;
  }

  add(row: number, result: ReturnType<typeof convertRow>) {
    if ('item' in result) {
      this.items.push(result.item);
      this.rowOf.push(row);
    } else this.problem(...result.errors);
  }

  problem(...errors: ErrorDetail[]) {
    this.errorCount += errors.length;
    for (const e of errors) if (e.row !== undefined) this.problemRows.add(e.row);
    for (const e of errors) if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(e);
  }
}

function tooMany(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `an import holds at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows`);
}

/** Reads the CSV into `out`. A header that does not fit the mapping throws unless `headerProblems` is 'collect' (dry run). */
async function collectCsv(body: AsyncIterable<Uint8Array | string>, mapping: ImportMapping, out: RowCollector, headerProblems: 'throw' | 'collect') {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 2_000_000 });
  // pipeline (not pipe) so a failing body, e.g. over the size limit, fails the parser too.
  pipeline(Readable.from(body), parser, () => {});
  let header: string[] | null = null;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record.map((h) => h.trim());
        const resolved = resolveMapping(header, mapping);
        out.header = header;
        out.columns = resolved.columns;
        if (resolved.errors.length) {
          if (headerProblems === 'throw') throw new AppError('IMPORT_FAILED', 'the CSV header does not fit the mapping', resolved.errors);
          out.problem(...resolved.errors);
        }
        continue;
      }
      row += 1;
      if (row > MAX_IMPORT_ROWS) throw tooMany();
      // Without a title column every row would repeat the header's problem.
      if (out.take(row) && out.columns.title !== undefined) out.add(row, convertRow(record, header, out.columns, row));
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
  out.header = header;
  out.columns = columns;
  records.forEach((r, i) => {
    if (!out.take(i + 1)) return;
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      out.problem({ row: i + 1, message: 'is not an object' });
      return;
    }
    const cells = header.map((k) => {
      const v = (r as Record<string, unknown>)[k];
      return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
    out.add(i + 1, convertRow(cells, header, columns, i + 1));
  });
}

async function checkExternalIds(ctx: ServiceContext, projectId: string, out: RowCollector) {
  const seen = new Map<string, number>();
  const column = out.header[out.columns.externalId ?? -1] ?? 'externalId';
  out.items.forEach((item, i) => {
    if (!item.externalId) return;
    const row = out.rowOf[i]!;
    const first = seen.get(item.externalId);
    if (first !== undefined) out.problem({ row, column, message: `duplicate external id "${item.externalId}" (first on row ${first})` });
    else seen.set(item.externalId, row);
  });
  if (!seen.size) return;
  // One JSON parameter instead of one bind parameter per id (PostgreSQL caps both lists and binds).
  const taken = await ctx.db
    .select({ externalId: items.externalId })
    .from(items)
    .where(and(eq(items.projectId, projectId), isNotNull(items.externalId), sql`${items.externalId} in (select jsonb_array_elements_text(${JSON.stringify([...seen.keys()])}::jsonb))`));
  for (const t of taken) {
    out.problem({ row: seen.get(t.externalId!)!, column, message: `external id "${t.externalId}" is already in the project` });
  }
}

/** Parses and checks the whole source (no writes). Problems are collected in the returned collector. */
async function checkSource(ctx: ServiceContext, projectId: string, source: ImportSource, options: ImportOptions, headerProblems: 'throw' | 'collect') {
  const out = new RowCollector(new Set(options.skipRows ?? []));
  if (source.format === 'csv') await collectCsv(source.body, source.mapping, out, headerProblems);
  else collectJson(source.records, out);
  const beyond = (options.skipRows ?? []).filter((row) => row > out.rows);
  if (beyond.length) out.problem({ message: `row(s) ${beyond.join(', ')} to skip are not in the file (it has ${out.rows} data rows)` });
  await checkExternalIds(ctx, projectId, out);
  // Problems in file order (external id checks run after the row pass).
  out.errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return out;
}

/** Names of incidents the rows refer to that the project does not have yet. */
async function newIncidentNames(ctx: ServiceContext, projectId: string, rows: ImportedItem[]): Promise<string[]> {
  const names = new Set(rows.map((r) => r.incidentName).filter((n): n is string => Boolean(n)));
  if (!names.size) return [];
  const existing = await ctx.db.select({ name: incidents.name }).from(incidents).where(eq(incidents.projectId, projectId));
  for (const r of existing) names.delete(r.name);
  return [...names];
}

/**
 * The dry run: the same parsing and checks as `importItems`, nothing written. Problems
 * (header ones included) are returned, not thrown; only an unreadable file throws.
 */
export async function checkImport(ctx: ServiceContext, projectId: string, source: ImportSource, options: ImportOptions = {}): Promise<ImportCheck> {
  await authorize(ctx, projectId, 'items.import');
  const out = await checkSource(ctx, projectId, source, options, 'collect');
  const columns: ImportCheck['columns'] = {};
  for (const [target, at] of Object.entries(out.columns) as [ImportTarget, number][]) columns[target] = out.header[at]!;
  return {
    header: out.header,
    columns,
    rows: out.rows,
    // Rows whose problem was found after conversion (external ids) are among `items` too.
    valid: out.rowOf.filter((row) => !out.problemRows.has(row)).length,
    skipped: out.skipped,
    incidentsToCreate: await newIncidentNames(ctx, projectId, out.items),
    problemCount: out.errorCount,
    problems: out.errors,
  };
}

/**
 * Imports the source, all or nothing: any problem outside the skipped rows fails the whole
 * import with the list of problems; otherwise every other row is written in one transaction.
 */
export async function importItems(ctx: ServiceContext, projectId: string, source: ImportSource, options: ImportOptions = {}): Promise<ImportResult> {
  const { actor } = await authorize(ctx, projectId, 'items.import');
  const started = performance.now();
  const out = await checkSource(ctx, projectId, source, options, 'throw');
  const checkedAt = performance.now();
  if (out.errorCount > 0) {
    const shown = out.errorCount > out.errors.length ? ` (the first ${out.errors.length} are listed)` : '';
    throw new AppError('IMPORT_FAILED', `${out.errorCount} problem(s) in the file; nothing was imported${shown}`, out.errors);
  }
  if (out.items.length === 0) throw new AppError('IMPORT_FAILED', out.skipped.length ? 'every row is skipped: nothing to import' : 'the file has no rows');

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
    const rows = out.items.map(({ incidentName, ...item }) => ({ incidentName, item: { id: newId('item'), projectId, importId, ...item } }));
    await bulkInsert(
      tx.db,
      items,
      rows.map((r) => r.item),
      // The project was authorized above; the import row and every incident were read or written in this transaction.
      { referencesVerified: true },
    );
    await bulkInsert(
      tx.db,
      itemIncidents,
      rows.filter((r) => r.incidentName).map((r) => ({ itemId: r.item.id, incidentId: incidentIds.get(r.incidentName!)!, position: 0 })),
      // The items were inserted just above and the incidents read or written in this transaction.
      { referencesVerified: true },
    );
    return { importId, inserted: out.items.length, incidentsCreated, skipped: out.skipped };
  });
  ctx.metrics?.importedRows(result.inserted);
  const ms = (a: number, b: number) => Math.round(b - a);
  ctx.logger.info(
    { projectId, rows: result.inserted, skipped: out.skipped.length, checkMs: ms(started, checkedAt), writeMs: ms(checkedAt, performance.now()) },
    'items imported',
  );
  return result;
}
