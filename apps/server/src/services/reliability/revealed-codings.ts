/**
 * The data behind reliability and the disagreement inbox: submitted codings of revealed
 * items only (the rows of the codings export), never adjudications, never anything of
 * an item in the independent or joint phase. No authorization here: callers authorize first.
 */
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { assignments, codebookVersions, codings, incidents, items, projectMembers, rounds, users } from '@concord/db';
import { checkValue, type CodingValue, type ErrorDetail, type FieldDefinition } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { incidentIdsColumn, inIncident } from '../items/item-incidents.ts';
import type { ServiceContext } from '../context.ts';

export interface RevealedCoding {
  itemId: string;
  externalId: string | null;
  title: string;
  /** The item's incidents, primary first. */
  incidentIds: string[];
  coderId: string;
  email: string;
  name: string;
  fieldKey: string;
  value: CodingValue;
  /** The round of the coder's assignment to the item (null without one). */
  roundId: string | null;
  revealedAt: Date | null;
  /** Made blind: the item stayed independent for this coder until she submitted (codings.blind). */
  blind: boolean;
  /** The item's text version the coder submitted under (codings.item_version); null when unknown. */
  itemVersion: number | null;
  /** Brought in by an import (the coder's assignment is in a round of type `imported`). */
  imported: boolean;
  /** The codebook version the value was coded under (codings.codebook_version_id), which later versions never rewrite. */
  codebookVersion: number;
}

export interface RevealedFilters {
  field?: string | undefined;
  incident?: string | undefined;
  round?: string | undefined;
  coderIds?: string[] | undefined;
}

/** Checks that the incident, round and coders named in a query belong to the project; coders may be named by id or email. */
export async function resolveReviewFilters({ ctx, projectId, query }: {
  ctx: ServiceContext;
  projectId: string;
  query: { incident?: string | undefined; round?: string | undefined; coders?: string[] | undefined };
}): Promise<Omit<RevealedFilters, 'field'>> {
  const problems: ErrorDetail[] = [];
  if (query.incident) {
    const [row] = await ctx.db.select({ id: incidents.id }).from(incidents).where(and(eq(incidents.id, query.incident), eq(incidents.projectId, projectId)));
    if (!row) problems.push({ path: ['incident'], message: `unknown incident "${query.incident}"` });
  }
  if (query.round) {
    const [row] = await ctx.db.select({ id: rounds.id }).from(rounds).where(and(eq(rounds.id, query.round), eq(rounds.projectId, projectId)));
    if (!row) problems.push({ path: ['round'], message: `unknown round "${query.round}"` });
  }
  let coderIds: string[] | undefined;
  if (query.coders?.length) {
    const names = query.coders.map((c) => c.toLowerCase());
    const found = await ctx.db
      .select({ id: users.id, email: users.email })
      .from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(and(eq(projectMembers.projectId, projectId), or(inArray(users.id, query.coders), inArray(users.email, names))));
    coderIds = [];
    for (const [i, name] of query.coders.entries()) {
      const member = found.find((f) => f.id === name || f.email === names[i]);
      if (member) coderIds.push(member.id);
      else problems.push({ path: ['coders', i], message: `"${name}" is not a member of this project` });
    }
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems);
  return { incident: query.incident, round: query.round, coderIds };
}

/** Ordered as the export orders them: by item (import order), coder email, field key. */
export async function loadRevealedCodings({ ctx, projectId, filters }: { ctx: ServiceContext; projectId: string; filters: RevealedFilters }): Promise<RevealedCoding[]> {
  const where: SQL[] = [eq(codings.projectId, projectId), eq(codings.status, 'submitted'), eq(items.phase, 'revealed')];
  if (filters.field) where.push(eq(codings.fieldKey, filters.field));
  if (filters.incident) where.push(inIncident({ ctx, incidentId: filters.incident }));
  if (filters.coderIds) where.push(inArray(codings.coderId, filters.coderIds));
  // The joined assignment is the coder's for this item (see the join below).
  if (filters.round) where.push(eq(assignments.roundId, filters.round));
  return ctx.db
    .select({
      itemId: items.id,
      externalId: items.externalId,
      title: items.title,
      incidentIds: incidentIdsColumn,
      coderId: codings.coderId,
      email: users.email,
      name: users.name,
      fieldKey: codings.fieldKey,
      value: codings.value,
      roundId: assignments.roundId,
      revealedAt: items.revealedAt,
      blind: codings.blind,
      itemVersion: codings.itemVersion,
      imported: sql<boolean>`coalesce(${rounds.type} = 'imported', false)`,
      codebookVersion: codebookVersions.version,
    })
    .from(codings)
    .innerJoin(items, eq(items.id, codings.itemId))
    .innerJoin(codebookVersions, eq(codebookVersions.id, codings.codebookVersionId))
    .innerJoin(users, eq(users.id, codings.coderId))
    // At most one assignment per (item, coder): a unique constraint.
    .leftJoin(assignments, and(eq(assignments.itemId, codings.itemId), eq(assignments.coderId, codings.coderId)))
    .leftJoin(rounds, eq(rounds.id, assignments.roundId))
    .where(and(...where))
    .orderBy(asc(items.seq), asc(users.email), asc(codings.fieldKey));
}

/**
 * Reliability reads blind codings only (issue 13): a coding submitted after its item left the
 * independent phase may echo the others' values. Imported codings (issue 12) were not made
 * here at all: they are left out unless the methodologist includes them (`includeImported`),
 * and then counted whatever their blind flag. What is left out is counted per field, to be reported.
 */
export function reliabilityRows(rows: RevealedCoding[], options: { includeImported: boolean }): { rows: RevealedCoding[]; notBlind: Map<string, number>; imported: Map<string, number> } {
  const notBlind = new Map<string, number>();
  const imported = new Map<string, number>();
  const kept: RevealedCoding[] = [];
  for (const r of rows) {
    if (r.imported) {
      if (options.includeImported) kept.push(r);
      else imported.set(r.fieldKey, (imported.get(r.fieldKey) ?? 0) + 1);
    } else if (r.blind) kept.push(r);
    else notBlind.set(r.fieldKey, (notBlind.get(r.fieldKey) ?? 0) + 1);
  }
  return { rows: kept, notBlind, imported };
}

/**
 * The codebook versions the field's used codings were made under, oldest first, with how many
 * each: the rows reliability keeps whose value fits the current definition (values that do not
 * are left out and counted as `excluded`). A report names these, not the current version.
 */
export function codedUnder(rows: readonly RevealedCoding[], field: FieldDefinition): { version: number; codings: number }[] {
  const counts = new Map<number, number>();
  for (const r of rows) {
    if (r.fieldKey !== field.key || checkValue(field, r.value) !== null) continue;
    counts.set(r.codebookVersion, (counts.get(r.codebookVersion) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0] - b[0]).map(([version, n]) => ({ version, codings: n }));
}

/** The field's row with the versions its codings were made under (codedUnder). */
export function withVersions<R extends { codebook_versions: unknown; mixed_versions: boolean }>(row: R, rows: readonly RevealedCoding[], field: FieldDefinition): R {
  const versions = codedUnder(rows, field);
  return { ...row, codebook_versions: versions, mixed_versions: versions.length > 1 };
}
