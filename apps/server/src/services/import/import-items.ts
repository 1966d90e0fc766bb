/**
 * Item import, all-or-nothing and incremental: every row is parsed and checked first (collect.ts
 * keeps a summary of each, and the file's bytes); only a file without problems is written, in
 * one transaction, reading the file again and writing its rows in batches as they are converted,
 * so the memory does not grow with the row count. Rows whose external id the project
 * has update that item in place (match.ts), so a file can be imported again and again; a
 * failed import changes nothing. `checkImport` is the dry run.
 */
import { eq } from 'drizzle-orm';
import { imports, incidents } from '@concord/db';
import { newId, type ImportCheck, type ImportResult, type ImportTarget } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { audit } from '../audit.ts';
import { authorize } from '../authz.ts';
import { inTransaction, type ServiceContext } from '../context.ts';
import { collect, replay, type ImportOptions, type ImportSource, type RowCollector } from './collect.ts';
import { codesCheck, compareCodes, readCodes, writeCodes, type CodeReading } from './import-codes.ts';
import { matchImport, type ImportMatcher } from './match.ts';
import { ensureIncidents, insertItems, updateItems } from './write.ts';
import { actorKey, actorsToCreate, ensureActors, insertActors } from '../actors/import-actors.ts';

export { MAX_IMPORT_ROWS, type ImportOptions, type ImportSource } from './collect.ts';

/** Rows converted, planned and written at a time on the second reading (a few MB of row objects). */
export const WRITE_BATCH = 5000;

/** Duplicate external ids within the file are problems (a row can update one item only). */
function checkDuplicateIds(out: RowCollector): string[] {
  const seen = new Map<string, number>();
  const column = out.header[out.columns.externalId ?? -1] ?? 'externalId';
  out.items.forEach((item, i) => {
    if (!item.externalId) return;
    const row = out.rowOf[i]!;
    const first = seen.get(item.externalId);
    if (first !== undefined) out.problem({ row, column, message: `duplicate external id "${item.externalId}" (first on row ${first})` });
    else seen.set(item.externalId, row);
  });
  return [...seen.keys()];
}

/**
 * The names the items' actors column creates actors for: none when a link field's codes are read
 * from that same column, whose reading already created the names that match no actor (and left
 * out those it maps to N/A or to nothing).
 */
function itemActorNames(out: RowCollector, codes: CodeReading | null): string[] {
  if (codes?.columns.some((c) => c.field.type === 'link' && c.at === out.columns.actors)) return [];
  return out.items.flatMap((i) => i.actorNames);
}

/** Parses and checks the whole source, and matches its rows to the project's items (no writes). */
async function checkSource(ctx: ServiceContext, projectId: string, source: ImportSource, options: ImportOptions, headerProblems: 'throw' | 'collect') {
  // Code columns are read from the rows' raw cells, so with them the first pass keeps whole rows.
  const out = await collect(source, options, headerProblems, options.codes !== undefined);
  const externalIds = checkDuplicateIds(out);
  const codes = options.codes ? await readCodes({ ctx, projectId, codes: options.codes, out }) : null;
  const known = await ctx.db.select({ id: incidents.id, name: incidents.name }).from(incidents).where(eq(incidents.projectId, projectId));
  const matcher = await matchImport({ ctx, projectId, out, externalIds, incidents: known });
  if (codes) await compareCodes({ ctx, out, reading: codes, itemIds: matcher.itemIds });
  // Problems in file order (some are found after the row pass).
  out.errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { out, matcher, codes, incidentNames: new Set(known.map((r) => r.name)) };
}

/**
 * The dry run: the same parsing, checks and matching as `importItems`, nothing written.
 * Problems (header ones included) are returned, not thrown; only an unreadable file throws.
 */
export async function checkImport({ ctx, projectId, source, options = {} }: { ctx: ServiceContext; projectId: string; source: ImportSource; options?: ImportOptions }): Promise<ImportCheck> {
  const { actor } = await authorize({ ctx, projectId, action: 'items.import' });
  const { out, matcher, codes, incidentNames } = await checkSource(ctx, projectId, source, options, 'collect');
  const columns: ImportCheck['columns'] = {};
  for (const [target, at] of Object.entries(out.columns) as [ImportTarget, number][]) columns[target] = out.header[at]!;
  const actions: ImportCheck['actions'] = [];
  const counts = { create: 0, update: 0, unchanged: 0 };
  await replay({ source, options, first: out, size: WRITE_BATCH, onBatch: async (rows) => {
    const batch = await matcher.plan(ctx, rows);
    const changes = new Map(batch.updates.map((u) => [u.index, u.changes]));
    rows.forEach(({ index, row }, k) => {
      // Rows with a problem found after conversion (duplicate ids, dates) are among `items` too.
      if (out.problemRows.has(row)) return;
      const action = batch.actions[k]!;
      counts[action] += 1;
      actions.push(action === 'update' ? { row, action, changes: changes.get(index)! } : { row, action });
    });
  } });
  const toCreate = new Set<string>();
  for (const item of out.items) for (const name of item.incidentNames) if (!incidentNames.has(name)) toCreate.add(name);
  return {
    header: out.header,
    columns,
    rows: out.rows,
    valid: actions.length,
    skipped: out.skipped,
    incidentsToCreate: [...toCreate],
    // A link column's new names first (the actors column then finds them), as the import creates them.
    actorsToCreate: [
      ...(codes ? [...codes.newActors.values()].map((a) => a.name) : []),
      ...(await actorsToCreate({ ctx, projectId, userId: actor.userId, names: itemActorNames(out, codes) })).filter((name) => !codes?.newActors.has(actorKey(name))),
    ],
    ...counts,
    emptyRows: out.emptyRows,
    actions,
    dateOrder: out.dateOrder,
    problemCount: out.errorCount,
    problems: out.errors,
    ...(codes ? { codes: codesCheck(codes) } : {}),
  };
}

async function write(ctx: ServiceContext, projectId: string, source: ImportSource, options: ImportOptions, out: RowCollector, matcher: ImportMatcher, codes: CodeReading | null) {
  return inTransaction(ctx, async (tx) => {
    const incidentIds = await ensureIncidents({ ctx: tx, projectId, out });
    const importId = newId('import');
    await tx.db.insert(imports).values({
      id: importId,
      projectId,
      createdBy: ctx.actor?.userId ?? null,
      format: source.format,
      filename: source.filename ?? null,
      rowCount: out.items.length,
    });
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    // The new items' ids, only when codes are written for them.
    const created = codes ? new Map<number, string>() : null;
    // Which items changed, and how (the first 1,000: a large re-import's full list belongs in the import, not the log).
    const changed: { itemId: string; changes: string[] }[] = [];
    await replay({ source, options, first: out, size: WRITE_BATCH, onBatch: async (rows) => {
      const batch = await matcher.plan(tx, rows);
      const ids = await insertItems({ ctx: tx, projectId, importId, rows: batch.creates, incidentIds: incidentIds.ids });
      if (created) for (const [index, id] of ids) created.set(index, id);
      await updateItems({ ctx: tx, projectId, out, updates: batch.updates, incidentIds: incidentIds.ids });
      counts.inserted += batch.creates.length;
      counts.updated += batch.updates.length;
      counts.unchanged += batch.unchanged;
      for (const u of batch.updates.slice(0, 1000 - changed.length)) changed.push({ itemId: u.existing.id, changes: u.changes });
    } });
    // A link column's new actors first: their ids are in its values, and the actors column then finds them by name.
    const linkActors = codes ? await insertActors({ ctx: tx, projectId, userId: ctx.actor!.userId, made: [...codes.newActors.values()] }) : 0;
    const actorsCreated = linkActors + (await ensureActors({ ctx: tx, projectId, userId: ctx.actor!.userId, names: itemActorNames(out, codes) }));
    const coded = codes ? await writeCodes({ ctx: tx, projectId, input: { importId, filename: source.filename ?? null }, reading: codes, itemIdOf: (i) => matcher.itemIds[i] ?? created!.get(i)! }) : null;
    // Items that existed before and were revealed by the import: their open documents and lists follow (new items have neither).
    const existed = new Set(matcher.itemIds);
    const revealed = coded ? coded.revealedIds.filter((id) => existed.has(id)) : [];
    for (const itemId of revealed) tx.events?.publish({ type: 'item.phaseChanged', projectId, itemId, from: 'independent', to: 'revealed' });
    const linkResult = codes?.actors ? { actorsCreated: linkActors } : {};
    const codesResult = coded
      ? { codes: { coderId: coded.coderId, roundId: coded.roundId, codings: coded.codings, items: coded.items, unchangedItems: coded.unchangedItems, revealed: coded.revealed, ...linkResult } }
      : {};
    const result = {
      importId,
      ...counts,
      incidentsCreated: incidentIds.created,
      actorsCreated,
      skipped: out.skipped,
      emptyRows: out.emptyRows,
      ...codesResult,
    };
    await audit({ ctx: tx, entry: {
      projectId,
      entity: 'import',
      entityId: importId,
      action: 'import',
      after: {
        filename: source.filename ?? null,
        format: source.format,
        sha256: out.sha256,
        rows: out.rows,
        ...result,
        skipped: out.skipped.length,
        dateOrder: out.dateOrder.used,
        updates: changed,
      },
    } });
    return { result, revealed };
  });
}

/**
 * Imports the source, all or nothing: any problem outside the skipped rows fails the whole
 * import with the list of problems; otherwise new rows are inserted and matched rows that
 * differ are updated, in one transaction, with one audit entry (file hash and counts).
 */
export async function importItems({ ctx, projectId, source, options = {} }: { ctx: ServiceContext; projectId: string; source: ImportSource; options?: ImportOptions }): Promise<ImportResult> {
  await authorize({ ctx, projectId, action: 'items.import' });
  const started = performance.now();
  const { out, matcher, codes } = await checkSource(ctx, projectId, source, options, 'throw');
  const checkedAt = performance.now();
  if (out.errorCount > 0) {
    const shown = out.errorCount > out.errors.length ? ` (the first ${out.errors.length} are listed)` : '';
    throw new AppError('IMPORT_FAILED', `${out.errorCount} problem(s) in the file; nothing was imported${shown}`, out.errors);
  }
  if (out.items.length === 0) {
    throw new AppError('IMPORT_FAILED', out.skipped.length ? 'every row is skipped: nothing to import' : out.emptyRows ? 'every row is empty: nothing to import' : 'the file has no rows');
  }
  const { result, revealed } = await write(ctx, projectId, source, options, out, matcher, codes);
  // A reveal opens the other coders' documents of the item, as a submit's does.
  for (const itemId of revealed) await ctx.collab?.itemAccessChanged(itemId);
  ctx.metrics?.importedRows(result.inserted + result.updated);
  const ms = (a: number, b: number) => Math.round(b - a);
  ctx.logger.info(
    { projectId, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, skipped: out.skipped.length, checkMs: ms(started, checkedAt), writeMs: ms(checkedAt, performance.now()) },
    'items imported',
  );
  return result;
}
