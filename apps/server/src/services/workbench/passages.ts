/**
 * The tagged passages of revealed items, for the narrative workbench: each submitted coder's
 * own span tags (spans-export's source, services/spans/span-tags.ts) and the tags of the shared
 * item document (ITEM_DOC.annotations), merged so that a span tagged with the same frame by
 * several people is one passage naming all of them. Revealed items only, whatever the source:
 * a tag is a code, and before reveal it may not leave (SECURITY.md, rules 2 and 5). No
 * authorization here: the workbench authorizes first.
 */
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { items } from '@concord/db';
import { ITEM_DOC, itemDocName, readAnnotation, taggableFields, type Annotation, type FieldDefinition, type WorkbenchPassage } from '@concord/shared';
import type { ServiceContext } from '../context.ts';
import { loadManyDocUpdates } from '../collab/store.ts';
import { loadSubmittedSpans } from '../spans/span-tags.ts';

type Source = WorkbenchPassage['sources'][number];

function itemDocTags(updates: Uint8Array[] | undefined, ctx: { text: string; fields: readonly FieldDefinition[] }): Annotation[] {
  if (!updates?.length) return [];
  const doc = new Y.Doc();
  try {
    for (const u of updates) Y.applyUpdate(doc, u);
    return doc
      .getArray(ITEM_DOC.annotations)
      .toArray()
      .map((raw) => readAnnotation(raw, ctx))
      .filter((a): a is Annotation => a !== null);
  } finally {
    doc.destroy();
  }
}

/** Passages per revealed item id, by start, end, field and frame; `label` names a tagger (pseudonym). */
export async function loadPassages({ ctx, projectId, fields, label }: { ctx: ServiceContext; projectId: string; fields: readonly FieldDefinition[]; label: (userId: string) => string }): Promise<Map<string, WorkbenchPassage[]>> {
  const taggable = taggableFields(fields);
  const out = new Map<string, WorkbenchPassage[]>();
  if (!taggable.length) return out;
  const revealed = await ctx.db
    .select({ id: items.id, body: items.body })
    .from(items)
    .where(and(eq(items.projectId, projectId), eq(items.phase, 'revealed')));
  const bodies = new Map(revealed.map((r) => [r.id, r.body]));
  const found: { itemId: string; tag: Annotation; source: Source }[] = [];
  for (const coder of await loadSubmittedSpans({ ctx, projectId, fields })) {
    for (const tag of coder.tags) found.push({ itemId: coder.itemId, tag, source: 'coding' });
  }
  const docs = await loadManyDocUpdates({
    ctx,
    docNames: revealed.map((r) => itemDocName(r.id)),
  });
  for (const r of revealed) {
    for (const tag of itemDocTags(docs.get(itemDocName(r.id)), { text: r.body, fields: taggable })) found.push({ itemId: r.id, tag, source: 'discussion' });
  }
  const merged = new Map<string, WorkbenchPassage & { itemId: string; taggers: Set<string> }>();
  for (const { itemId, tag, source } of found) {
    const body = bodies.get(itemId);
    if (body === undefined) continue;
    const key = [itemId, tag.fieldKey, tag.frame, tag.from, tag.to].join('\u0000');
    let passage = merged.get(key);
    if (!passage) {
      passage = { itemId, fieldKey: tag.fieldKey, frame: tag.frame, start: tag.from, end: tag.to, text: body.slice(tag.from, tag.to), taggedBy: [], sources: [], taggers: new Set() };
      merged.set(key, passage);
    }
    passage.taggers.add(tag.authorId);
    if (!passage.sources.includes(source)) passage.sources.push(source);
  }
  for (const { itemId, taggers, ...passage } of merged.values()) {
    const labels = [...taggers].map(label).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (!out.has(itemId)) out.set(itemId, []);
    out.get(itemId)!.push({ ...passage, taggedBy: labels, sources: passage.sources.sort() });
  }
  for (const list of out.values()) list.sort((a, b) => a.start - b.start || a.end - b.end || a.fieldKey.localeCompare(b.fieldKey) || a.frame.localeCompare(b.frame));
  return out;
}

/** The items' languages and translations, by id (the final dataset does not carry them). */
export async function loadItemTexts({ ctx, projectId }: { ctx: ServiceContext; projectId: string }) {
  const rows = await ctx.db
    .select({ id: items.id, language: items.language, tl: items.translationLanguage, tt: items.translationTitle, tb: items.translationBody })
    .from(items)
    .where(eq(items.projectId, projectId));
  return new Map(rows.map((r) => [r.id, { language: r.language, translation: r.tt || r.tb ? { language: r.tl, title: r.tt, body: r.tb } : null }] as const));
}
