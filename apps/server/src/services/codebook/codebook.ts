/**
 * Versioned codebooks. A version whose fields already have codings is frozen for
 * those fields: changing or removing one creates version N+1, and codings keep the
 * version they were made under. Changes that touch no coded field edit in place.
 */
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { codebookFields, codebooks, codebookVersions, codings } from '@concord/db';
import { describeDiff, diffCodebooks, newCodeIssues, newId, normalizeLevel, type Codebook, type CodebookInput, type FieldDefinition } from '@concord/shared';
import { AppError, notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import { inTransaction, iso, type ServiceContext } from '../context.ts';
import { audit } from '../audit.ts';

type CodebookRow = typeof codebooks.$inferSelect;

async function codebookOf(ctx: ServiceContext, projectId: string, lock = false): Promise<CodebookRow> {
  const query = ctx.db.select().from(codebooks).where(eq(codebooks.projectId, projectId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('codebook');
  return row;
}

async function versionRow(ctx: ServiceContext, codebookId: string, version: number) {
  const [row] = await ctx.db
    .select()
    .from(codebookVersions)
    .where(and(eq(codebookVersions.codebookId, codebookId), eq(codebookVersions.version, version)));
  if (!row) throw notFound(`codebook version ${version}`);
  return row;
}

export async function fieldsOfVersion({ ctx, versionId }: { ctx: ServiceContext; versionId: string }): Promise<FieldDefinition[]> {
  const rows = await ctx.db
    .select({ definition: codebookFields.definition })
    .from(codebookFields)
    .where(eq(codebookFields.versionId, versionId))
    .orderBy(asc(codebookFields.position));
  return rows.map((r) => r.definition);
}

/** The current version (or `version`) of a project's codebook, without authorization: for other verbs. */
export async function loadCodebook({ ctx, projectId, version }: { ctx: ServiceContext; projectId: string; version?: number }): Promise<Codebook> {
  const cb = await codebookOf(ctx, projectId);
  const v = await versionRow(ctx, cb.id, version ?? cb.currentVersion);
  return { id: cb.id, projectId, name: cb.name, version: v.version, versionId: v.id, fields: await fieldsOfVersion({ ctx, versionId: v.id }) };
}

export async function getCodebook({ ctx, projectId, version }: { ctx: ServiceContext; projectId: string; version?: number }): Promise<Codebook> {
  await authorize({ ctx, projectId, action: 'codebook.read' });
  return loadCodebook({ ctx, projectId, version });
}

export async function listCodebookVersions({ ctx, projectId }: { ctx: ServiceContext; projectId: string }) {
  await authorize({ ctx, projectId, action: 'codebook.read' });
  const cb = await codebookOf(ctx, projectId);
  const rows = await ctx.db
    .select()
    .from(codebookVersions)
    .where(eq(codebookVersions.codebookId, cb.id))
    .orderBy(desc(codebookVersions.version));
  return rows.map((r) => ({ version: r.version, note: r.note, createdBy: r.createdBy, createdAt: iso(r.createdAt)!, current: r.version === cb.currentVersion }));
}

const same = (a: FieldDefinition | undefined, b: FieldDefinition | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies `change` to the current fields. `baseVersion` is the version the editor saw:
 * a stale one is a 409, so two editors never overwrite each other silently.
 */
export async function mutateCodebook({ ctx, projectId, baseVersion, change }: {
  ctx: ServiceContext;
  projectId: string;
  baseVersion: number;
  change: (fields: FieldDefinition[]) => { fields: FieldDefinition[]; name?: string; note: string; newVersion?: boolean };
}): Promise<Codebook> {
  await authorize({ ctx, projectId, action: 'codebook.edit' });
  return inTransaction(ctx, async (tx) => {
    const cb = await codebookOf(tx, projectId, true);
    if (cb.currentVersion !== baseVersion) {
      throw new AppError('VERSION_CONFLICT', `the codebook is at version ${cb.currentVersion}, not ${baseVersion}; reload and retry`);
    }
    const current = await versionRow(tx, cb.id, cb.currentVersion);
    const before = await fieldsOfVersion({ ctx: tx, versionId: current.id });
    const changed = change(before);
    // A level equal to the type's default is stored as no level: choosing it again changes nothing.
    const next = { ...changed, fields: changed.fields.map(normalizeLevel) };
    // New or changed option codes must be identifiers; saved ones may predate the rule (see newCodeIssues).
    const bad = newCodeIssues(before, next.fields);
    if (bad.length) throw new AppError('VALIDATION_FAILED', bad.map((i) => i.message).join('; '));
    const beforeByKey = new Map(before.map((f) => [f.key, f]));
    const nextByKey = new Map(next.fields.map((f) => [f.key, f]));
    const touched = [...beforeByKey.keys()].filter((k) => !same(beforeByKey.get(k), nextByKey.get(k)));
    const [coded] = touched.length
      ? await tx.db
          .select({ n: count() })
          .from(codings)
          .where(and(eq(codings.codebookVersionId, current.id), inArray(codings.fieldKey, touched)))
      : [{ n: 0 }];
    let versionId = current.id;
    let version = current.version;
    if ((coded?.n ?? 0) > 0 || next.newVersion) {
      version = current.version + 1;
      versionId = newId('codebookVersion');
      await tx.db.insert(codebookVersions).values({ id: versionId, codebookId: cb.id, version, note: next.note, createdBy: tx.actor!.userId });
      await tx.db.update(codebooks).set({ currentVersion: version }).where(eq(codebooks.id, cb.id));
    } else {
      await tx.db.delete(codebookFields).where(eq(codebookFields.versionId, versionId));
      await tx.db.update(codebookVersions).set({ note: next.note }).where(eq(codebookVersions.id, versionId));
    }
    if (next.fields.length) {
      await tx.db.insert(codebookFields).values(
        next.fields.map((f, position) => ({ id: newId('field'), versionId, key: f.key, position, type: f.type, definition: f })),
      );
    }
    if (next.name !== undefined) await tx.db.update(codebooks).set({ name: next.name }).where(eq(codebooks.id, cb.id));
    await audit({ ctx: tx, entry: {
      projectId,
      entity: 'codebook',
      entityId: cb.id,
      action: version === current.version ? 'edit' : 'new_version',
      before: { version: current.version, fields: before },
      after: { version, fields: next.fields, note: next.note },
    } });
    return { id: cb.id, projectId, name: next.name ?? cb.name, version, versionId, fields: next.fields };
  });
}

/**
 * Replaces all fields. The version note says what changed (`describeDiff`). `newVersion`
 * records the change as version N+1 even when no coded field changed (the codebook editor
 * asks for it, so every save is listed with its changes).
 */
export function replaceCodebook({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: CodebookInput & { baseVersion: number; newVersion?: boolean } }) {
  const fields = input.fields.map(normalizeLevel);
  return mutateCodebook({ ctx, projectId, baseVersion: input.baseVersion, change: (before) => {
    const what = describeDiff(diffCodebooks(before, fields));
    return { fields, name: input.name, note: what.length ? what.join('; ') : 'no field changed', newVersion: input.newVersion ?? false };
  } });
}

/** Creates the field, or replaces the field with the same key in place (keeping its position). */
export function upsertField({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: { baseVersion: number; field: FieldDefinition } }) {
  return mutateCodebook({ ctx, projectId, baseVersion: input.baseVersion, change: (fields) => {
    const at = fields.findIndex((f) => f.key === input.field.key);
    const field = normalizeLevel(input.field);
    if (at === -1) return { fields: [...fields, field], note: `added field "${field.key}"` };
    // A new measurement level is recorded with its reason in the version note.
    const diff = diffCodebooks([fields[at]!], [field]);
    const note = diff.fields.some((c) => c.level !== null) ? describeDiff(diff).join('; ') : `changed field "${field.key}"`;
    return { fields: fields.map((f, i) => (i === at ? field : f)), note };
  } });
}

export function deleteField({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: { baseVersion: number; key: string } }) {
  return mutateCodebook({ ctx, projectId, baseVersion: input.baseVersion, change: (fields) => {
    if (!fields.some((f) => f.key === input.key)) throw notFound(`field "${input.key}"`);
    return { fields: fields.filter((f) => f.key !== input.key), note: `removed field "${input.key}"` };
  } });
}
