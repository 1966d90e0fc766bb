/**
 * The span tags that count as codings: each submitted coder's own tags of a revealed item,
 * read from her coding document (CODING_DOC.annotations), where the blind phase keeps them
 * (SECURITY.md rule 2). Tags written to the shared item document after reveal are
 * discussion, not independent codings, and are not read. No authorization here: callers
 * authorize first; like loadRevealedCodings this reads revealed items only.
 */
import { and, asc, eq, inArray, isNotNull, isNull, ne, or, type SQL } from 'drizzle-orm';
import * as Y from 'yjs';
import { assignments, items, rounds } from '@concord/db';
import { CODING_DOC, codingDocName, readAnnotation, taggableFields, type Annotation, type FieldDefinition } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { loadManyDocUpdates } from '../collab/store.ts';
import { incidentIdsColumn, inIncident } from '../items/item-incidents.ts';
import type { RevealedFilters } from '../reliability/revealed-codings.ts';

/** One submitted coder of a revealed item, with her tags (possibly none: all of it untagged). */
export interface CoderSpans {
  itemId: string;
  externalId: string | null;
  incidentIds: string[];
  /** The item's text, which the offsets index (UTF-16 code units). */
  body: string;
  coderId: string;
  roundId: string | null;
  /** The item stayed independent for her until she submitted. */
  blind: boolean;
  /** Valid tags of the codebook's taggable fields, by start then end. */
  tags: Annotation[];
}

function tagsOf(updates: Uint8Array[] | undefined, coderId: string, ctx: { text: string; fields: readonly FieldDefinition[] }): Annotation[] {
  if (!updates?.length) return [];
  const doc = new Y.Doc();
  try {
    for (const u of updates) Y.applyUpdate(doc, u);
    return doc
      .getArray(CODING_DOC.annotations)
      .toArray()
      .map((raw) => readAnnotation(raw, ctx))
      .filter((a): a is Annotation => a !== null && a.authorId === coderId)
      .sort((a, b) => a.from - b.from || a.to - b.to || (a.frame < b.frame ? -1 : a.frame > b.frame ? 1 : 0));
  } finally {
    doc.destroy();
  }
}

/** Submitted coders of revealed items (import order, then coder id) and their tags. */
export async function loadSubmittedSpans({ ctx, projectId, fields, filters = {} }: {
  ctx: ServiceContext;
  projectId: string;
  fields: readonly FieldDefinition[];
  filters?: Omit<RevealedFilters, 'field'>;
}): Promise<CoderSpans[]> {
  // Imported codings (a round of type `imported`) have no coding document and no tags: an
  // import brings values, not passages; counting their coders as tagging nothing would be wrong.
  const where: SQL[] = [eq(items.projectId, projectId), eq(items.phase, 'revealed'), isNotNull(assignments.submittedAt), or(isNull(rounds.type), ne(rounds.type, 'imported'))!];
  if (filters.incident) where.push(inIncident({ ctx, incidentId: filters.incident }));
  if (filters.round) where.push(eq(assignments.roundId, filters.round));
  if (filters.coderIds) where.push(inArray(assignments.coderId, filters.coderIds));
  const rows = await ctx.db
    .select({
      itemId: items.id,
      externalId: items.externalId,
      incidentIds: incidentIdsColumn,
      body: items.body,
      coderId: assignments.coderId,
      roundId: assignments.roundId,
      blind: assignments.blind,
    })
    .from(assignments)
    .innerJoin(items, eq(items.id, assignments.itemId))
    .leftJoin(rounds, eq(rounds.id, assignments.roundId))
    .where(and(...where))
    .orderBy(asc(items.seq), asc(assignments.coderId));
  const taggable = taggableFields(fields);
  const docs = await loadManyDocUpdates({
    ctx,
    docNames: rows.map((r) => codingDocName(r.itemId, r.coderId)),
  });
  return rows.map((r) => ({ ...r, tags: taggable.length ? tagsOf(docs.get(codingDocName(r.itemId, r.coderId)), r.coderId, { text: r.body, fields: taggable }) : [] }));
}
