/**
 * Codes already made, imported with the items (issue 12, item 7). Mapped columns are one
 * coder's values: a member's, or the project's "Imported" coder's (an account nobody can sign
 * in to, made at the first such import). They are written as that coder's submitted codings, in
 * an assignment of a round of type `imported`, so they show as her values, count for charts and
 * the final dataset (provenance `imported`), and stay out of reliability unless asked for
 * (`includeImported`). Imported codings are final like any submitted ones: importing the same
 * file again changes nothing, and a file whose codes differ from those imported before is a
 * problem on that row and column, as is a label that maps to no code.
 *
 * A `link` field's column holds actor names (Airtable's linked-record cell): each matches an
 * actor the importer sees by name or alias (import-actors.ts), or the value map names one; a
 * name that matches none creates an actor when the column says so (`createActors`, or it is the
 * items' actors column, which creates them anyway), else it is a problem on its row and column.
 * New actors' ids are chosen while reading, so the values are id sets from the start.
 */
import { and, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import { assignments, codings, items, projectMembers, rounds, users } from '@concord/db';
import { IMPORTED_CODER_DOMAIN, isNa, MAX_LISTED_LABELS, NA, newId, type CodingValue, type FieldDefinition, type ImportCode, type ImportCodes, type ImportCodesCheck, type ImportCodesResult } from '@concord/shared';
import { audit } from '../audit.ts';
import { NO_PASSWORD } from '../auth/password.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import type { ServiceContext } from '../context.ts';
import type { RowCollector } from './collect.ts';
import { actorDirectory, actorKey, type ActorDirectory } from '../actors/import-actors.ts';
import { allowedCodes, allowedText, cellLabels, isMapped, normalizeCode, readCell, sameValue, suggestCode } from './code-values.ts';

/** The "Imported" coder's account: one per project, under a reserved domain no mail reaches. */
export const importedCoderEmail = (projectId: string) => `${projectId.toLowerCase()}@${IMPORTED_CODER_DOMAIN}`;
const IMPORTED_CODER_NAME = 'Imported';
/** Rows per INSERT (about ten parameters a row; PostgreSQL takes 65,535). */
const BATCH = 2000;
/** Actors named in a problem message; the dry run lists them all. */
const LISTED_ACTORS = 25;

interface CodeColumn {
  column: string;
  at: number;
  field: FieldDefinition;
  /** The request's label -> code entries that name an allowed code (or null). */
  explicit: Map<string, ImportCode | null>;
  /** Distinct labels in file order, with the rows holding each. */
  labels: Map<string, number>;
  /** A link field's column: whether names that match no actor create one. */
  createActors: boolean;
}

export interface CodeReading {
  coder: { id: string | null; name: string; imported: boolean };
  columns: CodeColumn[];
  /** The actors the importer sees (null without link columns). */
  actors: ActorDirectory | null;
  codebookVersionId: string;
  /** Per entry of `out.items`: the row's values by field key (null: no value in the row). */
  values: (Record<string, CodingValue> | null)[];
  /** Entries of `out.items` whose codes are to be written. */
  write: number[];
  unchangedItems: number;
  /** Actors the link columns' unmatched names create, by folded name, with the ids their values hold. */
  newActors: Map<string, { id: string; name: string }>;
}

async function resolveCoder(ctx: ServiceContext, projectId: string, codes: ImportCodes, out: RowCollector): Promise<CodeReading['coder']> {
  if ('imported' in codes.coder) {
    const [row] = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, importedCoderEmail(projectId)));
    return { id: row?.id ?? null, name: row?.name ?? IMPORTED_CODER_NAME, imported: true };
  }
  const [member] = await ctx.db
    .select({ id: users.id, name: users.name })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, codes.coder.userId)));
  if (!member) out.problem({ column: 'codes.coder', message: `"${codes.coder.userId}" is not a member of this project: choose a member or the imported coder` });
  return { id: member?.id ?? null, name: member?.name ?? '', imported: false };
}

/** The codes a field allows as the value-mapping step lists them: a link field's are the actors the importer sees. */
function allowedOf(field: FieldDefinition, actors: ActorDirectory | null) {
  if (field.type !== 'link') return allowedCodes(field);
  const listed = (actors?.listed ?? []).map((a) => ({ code: a.id, label: a.name, parent: null }));
  return field.allowNa ? [...listed, { code: NA, label: 'Not applicable', parent: null }] : listed;
}

/** "actors: Akorda (act_…), …", the first LISTED_ACTORS of them. */
function actorsText(field: FieldDefinition, actors: ActorDirectory | null): string {
  const all = allowedOf(field, actors);
  if (!all.length) return 'the project has no actors yet';
  const shown = all.slice(0, LISTED_ACTORS).map((a) => (isNa(a.code) ? 'NA (not applicable)' : `${a.label} (${String(a.code)})`));
  return `actors: ${shown.join(', ')}${all.length > LISTED_ACTORS ? `, and ${all.length - LISTED_ACTORS} more` : ''}`;
}

/** A value-map entry's code for the field: an allowed code, or for a link field an actor the importer sees (or N/A). */
function mappedCode(field: FieldDefinition, code: ImportCode, actors: ActorDirectory | null): ImportCode | null {
  if (field.type !== 'link') return normalizeCode(field, code);
  if (isNa(code)) return field.allowNa ? NA : null;
  return typeof code === 'string' && actors?.has(code) ? code : null;
}

/** The mapped columns against the header and the codebook; problems for the ones that do not fit. */
function resolveColumns(codes: ImportCodes, fields: FieldDefinition[], out: RowCollector, actors: ActorDirectory | null): CodeColumn[] {
  const header = out.header.map((h) => h.trim().toLowerCase());
  const columns: CodeColumn[] = [];
  for (const c of codes.columns) {
    const at = header.indexOf(c.column.trim().toLowerCase());
    const field = fields.find((f) => f.key === c.fieldKey);
    if (at === -1) out.problem({ column: c.column, message: `column "${c.column}" (mapped to codes of ${c.fieldKey}) is not in the header` });
    else if (!field) out.problem({ column: c.column, message: `"${c.fieldKey}" is not a field of the codebook` });
    else if (columns.some((o) => o.field.key === field.key)) out.problem({ column: c.column, message: `${field.label} is already read from column "${columns.find((o) => o.field.key === field.key)!.column}"` });
    else if (columns.some((o) => o.at === at)) out.problem({ column: c.column, message: `column "${c.column}" is mapped twice` });
    else {
      const explicit = new Map<string, ImportCode | null>();
      for (const [label, code] of Object.entries(c.valueMap)) {
        const normalized = code === null ? null : mappedCode(field, code, actors);
        const allowed = field.type === 'link' ? actorsText(field, actors) : allowedText(field);
        if (code !== null && normalized === null) out.problem({ column: out.header[at]!, message: `"${label}" is mapped to ${JSON.stringify(code)}, which is not ${field.type === 'link' ? 'an actor of this project' : `a code of ${field.label}`} (${allowed})` });
        else explicit.set(label, normalized);
      }
      // The items' actors column creates its names whatever this column says.
      const createActors = field.type === 'link' && (c.createActors || out.columns.actors === at);
      columns.push({ column: out.header[at]!, at, field, explicit, labels: new Map(), createActors });
    }
  }
  return columns;
}

/**
 * Reads the code columns of every converted row (no writes): each cell becomes the field's
 * value or a problem naming the row, the column and the allowed codes.
 */
export async function readCodes({ ctx, projectId, codes, out }: { ctx: ServiceContext; projectId: string; codes: ImportCodes; out: RowCollector }): Promise<CodeReading> {
  const codebook = await loadCodebook({ ctx, projectId });
  const coder = await resolveCoder(ctx, projectId, codes, out);
  const linked = codes.columns.some((c) => codebook.fields.find((f) => f.key === c.fieldKey)?.type === 'link');
  const actors = linked ? await actorDirectory({ ctx, projectId, userId: ctx.actor!.userId }) : null;
  const columns = resolveColumns(codes, codebook.fields, out, actors);
  const reading: CodeReading = { coder, columns, actors, codebookVersionId: codebook.versionId, values: [], write: [], unchangedItems: 0, newActors: new Map() };
  if (!out.kept) throw new Error('reading code columns needs the rows kept (collect with keepItems)');
  reading.values = out.kept.map((item, i) => {
    const row = out.rowOf[i]!;
    const found: Record<string, CodingValue> = {};
    for (const c of columns) {
      const cell = item.raw[c.column] ?? '';
      for (const label of cellLabels(c.field, cell)) c.labels.set(label, (c.labels.get(label) ?? 0) + 1);
      const read =
        c.field.type === 'link'
          ? readCell(c.field, cell, (label) => actorCode(reading, c, label), (label) => `"${label}" is not an actor of this project: map it to one, or let the import create it (${actorsText(c.field, actors)})`)
          : readCell(c.field, cell, (label) => (c.explicit.has(label) ? c.explicit.get(label) : (suggestCode(c.field, label) ?? undefined)));
      if ('error' in read) out.problem({ row, column: c.column, message: read.error });
      else if (read.value !== null) found[c.field.key] = read.value;
    }
    return Object.keys(found).length ? found : null;
  });
  return reading;
}

/** The actor a link column's name suggests: by name or alias, else N/A for "n/a" where allowed; null for none. */
const suggestActor = (reading: CodeReading, c: CodeColumn, label: string): ImportCode | null => reading.actors?.match(label)?.id ?? suggestCode(c.field, label);

/** A link column's name as an actor id: mapped, matched, or a new actor's (the same for the same name in every column); undefined for none. */
function actorCode(reading: CodeReading, c: CodeColumn, label: string): ImportCode | null | undefined {
  if (c.explicit.has(label)) return c.explicit.get(label);
  const suggested = suggestActor(reading, c, label);
  if (suggested !== null) return suggested;
  if (!c.createActors) return undefined;
  const key = actorKey(label);
  if (!reading.newActors.has(key)) reading.newActors.set(key, { id: newId('actor'), name: label.trim() });
  return reading.newActors.get(key)!.id;
}

/**
 * Compares the rows with the coder's work on the items they match (`itemIds[i]`, null for a new
 * item): codes imported before and equal are unchanged; different ones, or an item the coder
 * codes in Concord, are problems (submitted codings are final). Fills `write`.
 */
export async function compareCodes({ ctx, out, reading, itemIds }: { ctx: ServiceContext; out: RowCollector; reading: CodeReading; itemIds: readonly (string | null)[] }): Promise<void> {
  const matched = [...new Set(itemIds.filter((id, i): id is string => id !== null && reading.values[i] !== null))];
  const coderId = reading.coder.id;
  const existing = new Map<string, { roundType: string | null; roundName: string | null }>();
  const stored = new Map<string, Map<string, CodingValue>>();
  if (coderId && matched.length) {
    for (let at = 0; at < matched.length; at += BATCH) {
      const ids = matched.slice(at, at + BATCH);
      const rows = await ctx.db
        .select({ itemId: assignments.itemId, roundType: rounds.type, roundName: rounds.name })
        .from(assignments)
        .leftJoin(rounds, eq(rounds.id, assignments.roundId))
        .where(and(eq(assignments.coderId, coderId), inArray(assignments.itemId, ids)));
      for (const r of rows) existing.set(r.itemId, r);
      const coded = await ctx.db
        .select({ itemId: codings.itemId, fieldKey: codings.fieldKey, value: codings.value })
        .from(codings)
        .where(and(eq(codings.coderId, coderId), inArray(codings.itemId, ids)));
      for (const c of coded) stored.set(c.itemId, (stored.get(c.itemId) ?? new Map()).set(c.fieldKey, c.value));
    }
  }
  reading.values.forEach((values, i) => {
    const row = out.rowOf[i]!;
    // A row with a problem (its item's or a code's) is not written.
    if (values === null || out.problemRows.has(row)) return;
    const itemId = itemIds[i] ?? null;
    const assignment = itemId ? existing.get(itemId) : undefined;
    if (itemId && (assignment?.roundType !== 'imported' && (assignment || stored.has(itemId)))) {
      out.problem({ row, column: reading.columns[0]!.column, message: `${reading.coder.name} codes this item in Concord${assignment?.roundName ? ` (round "${assignment.roundName}")` : ''}; an import does not replace codes made here` });
      return;
    }
    if (!itemId || !assignment) {
      reading.write.push(i);
      return;
    }
    // Imported before: the same values are unchanged; others are a problem (no old value is shown: the item may still be coded blind).
    const before = stored.get(itemId) ?? new Map<string, CodingValue>();
    const differs = reading.columns.filter((c) => !sameValue(values[c.field.key] ?? null, before.get(c.field.key) ?? null));
    for (const c of differs) out.problem({ row, column: c.column, message: `differs from ${reading.coder.name}'s ${c.field.label} imported before; imported codings are final` });
    if (!differs.length) reading.unchangedItems += 1;
  });
}

/** The dry run's report of the code columns. */
export function codesCheck(reading: CodeReading): ImportCodesCheck {
  return {
    coderId: reading.coder.id,
    coderName: reading.coder.name,
    columns: reading.columns.map((c) => ({
      column: c.column,
      fieldKey: c.field.key,
      fieldLabel: c.field.label,
      fieldType: c.field.type,
      labels: [...c.labels].slice(0, MAX_LISTED_LABELS).map(([label, rows]) => {
        const link = c.field.type === 'link';
        const suggested = link ? suggestActor(reading, c, label) : suggestCode(c.field, label);
        const mapped = c.explicit.has(label);
        const newActor = link ? { newActor: !mapped && suggested === null && c.createActors } : {};
        return { label, rows, suggested, code: mapped ? (c.explicit.get(label) ?? null) : suggested, mapped, ...newActor };
      }),
      moreLabels: Math.max(0, c.labels.size - MAX_LISTED_LABELS),
      allowed: isMapped(c.field) || c.field.type === 'link' ? allowedOf(c.field, reading.actors) : [],
      ...(c.field.type === 'link' ? { createActors: c.createActors } : {}),
    })),
    codings: reading.write.reduce((n, i) => n + Object.keys(reading.values[i]!).length, 0),
    items: reading.write.length,
    unchangedItems: reading.unchangedItems,
    ...(reading.actors ? { actorsToCreate: [...reading.newActors.values()].map((a) => a.name) } : {}),
  };
}

/** The coder's id, making the project's "Imported" account (a coder who cannot sign in) at its first import. */
async function coderAccount(tx: ServiceContext, projectId: string, reading: CodeReading): Promise<string> {
  if (!reading.coder.imported) return reading.coder.id!;
  let id = reading.coder.id;
  if (!id) {
    const email = importedCoderEmail(projectId);
    // NO_PASSWORD has no scheme, so no password verifies; not pending, so no invitation link can set one.
    const [made] = await tx.db.insert(users).values({ id: newId('user'), email, name: IMPORTED_CODER_NAME, passwordHash: NO_PASSWORD }).onConflictDoNothing().returning({ id: users.id });
    id = made?.id ?? (await tx.db.select({ id: users.id }).from(users).where(eq(users.email, email)))[0]!.id;
  }
  // A member (again, if an owner removed it): its codings are a coder's of this project.
  const added = await tx.db.insert(projectMembers).values({ projectId, userId: id, role: 'coder' }).onConflictDoNothing().returning({ userId: projectMembers.userId });
  if (added.length) await audit({ ctx: tx, entry: { projectId, entity: 'membership', entityId: id, action: 'add', after: { role: 'coder', imported: true } } });
  return id;
}

/**
 * Writes the codes, in the import's transaction: an imported round, a submitted assignment per
 * item and the codings (submitted, not blind: they were not made blind here). An item whose
 * last assigned coder this was is revealed, as a submit would. `itemIdOf` gives each row's item.
 */
export async function writeCodes({ ctx: tx, projectId, input, reading, itemIdOf }: {
  ctx: ServiceContext;
  projectId: string;
  input: { importId: string; filename: string | null };
  reading: CodeReading;
  itemIdOf: (index: number) => string;
}): Promise<ImportCodesResult & { revealedIds: string[] }> {
  const coderId = await coderAccount(tx, projectId, reading);
  const counts = { codings: 0, items: reading.write.length, unchangedItems: reading.unchangedItems };
  if (!reading.write.length) return { coderId, roundId: null, ...counts, revealed: 0, revealedIds: [] };
  const now = new Date();
  const roundId = newId('round');
  const name = `Imported from ${input.filename ?? 'a file'}`.slice(0, 200);
  const columns = reading.columns.map((c) => ({ column: c.column, fieldKey: c.field.key }));
  await tx.db.insert(rounds).values({ id: roundId, projectId, name, type: 'imported', codebookVersionId: reading.codebookVersionId, params: { importId: input.importId, coderId, columns }, createdBy: tx.actor?.userId ?? null });
  const itemIds = reading.write.map(itemIdOf);
  for (let at = 0; at < itemIds.length; at += BATCH) {
    const slice = itemIds.slice(at, at + BATCH);
    await tx.db.insert(assignments).values(slice.map((itemId) => ({ id: newId('assignment'), projectId, itemId, coderId, roundId, blind: false, submittedAt: now })));
  }
  const rows = reading.write.flatMap((i, n) =>
    Object.entries(reading.values[i]!).map(([fieldKey, value]) => ({
      id: newId('coding'),
      projectId,
      itemId: itemIds[n]!,
      coderId,
      fieldKey,
      codebookVersionId: reading.codebookVersionId,
      value,
      status: 'submitted' as const,
      submittedAt: now,
      blind: false,
    })),
  );
  for (let at = 0; at < rows.length; at += BATCH) await tx.db.insert(codings).values(rows.slice(at, at + BATCH));
  counts.codings = rows.length;
  // The reveal a submit makes: every assigned coder has submitted and the item is still independent.
  const revealedIds: string[] = [];
  for (let at = 0; at < itemIds.length; at += BATCH) {
    const revealed = await tx.db
      .update(items)
      .set({ phase: 'revealed', revealedAt: now, updatedAt: now })
      .where(
        and(
          inArray(items.id, itemIds.slice(at, at + BATCH)),
          eq(items.phase, 'independent'),
          notExists(tx.db.select({ one: sql`1` }).from(assignments).where(and(eq(assignments.itemId, items.id), isNull(assignments.submittedAt)))),
        ),
      )
      .returning({ id: items.id });
    revealedIds.push(...revealed.map((r) => r.id));
  }
  await audit({ ctx: tx, entry: { projectId, entity: 'round', entityId: roundId, action: 'create', after: { name, type: 'imported', importId: input.importId, coderId, columns, assignments: itemIds.length, codings: rows.length, revealed: revealedIds.length } } });
  return { coderId, roundId, ...counts, revealed: revealedIds.length, revealedIds };
}
