/**
 * `GET …/workbench`: the items of the final dataset with their final values (labels and
 * provenance), translations and tagged passages, filtered by frame and incident and paged. Its
 * audience is the final dataset's (`export.read`: managers), and it inherits its blind rule:
 * an item that is not revealed has every value `open` and no passages.
 */
import { asc, eq } from 'drizzle-orm';
import { incidents } from '@concord/db';
import {
  frameFamily,
  OPEN_TEXT,
  valueText,
  type FieldDefinition,
  type Workbench,
  type WorkbenchFilters,
  type WorkbenchItem,
} from '@concord/shared';
import { badRequest, notFound } from '../../errors.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadFinalDataset } from '../export/final-dataset.ts';
import { loadCoderLabels } from '../export/pseudonyms.ts';
import { loadItemTexts, loadPassages } from './passages.ts';

type ChoiceField = Extract<FieldDefinition, { type: 'single_choice' | 'multiple_choice' }>;
const isChoice = (f: FieldDefinition): f is ChoiceField => f.type === 'single_choice' || f.type === 'multiple_choice';

/** The field whose options are the frames: the one asked for, else the first multiple choice, else the first single choice. */
function frameFieldOf(fields: readonly FieldDefinition[], key: string | undefined): ChoiceField | null {
  const choices = fields.filter(isChoice);
  if (key !== undefined) {
    const field = choices.find((f) => f.key === key);
    if (!field) throw badRequest(`"${key}" is not a choice field of the codebook`);
    return field;
  }
  return choices.find((f) => f.type === 'multiple_choice') ?? choices[0] ?? null;
}

/** The whole workbench under the filters, unpaged (the exports' content); `total` counts it. */
export async function loadWorkbench({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: WorkbenchFilters }): Promise<Omit<Workbench, 'limit' | 'offset'>> {
  // A filter form's "all" sends an empty value: no filter.
  const filters = { field: query.field || undefined, frame: query.frame || undefined, incident: query.incident || undefined };
  // The final dataset authorizes (`export.read`) and holds the blind rule for values.
  const data = await loadFinalDataset({ ctx, projectId });
  const codebook = await loadCodebook({ ctx, projectId });
  const frameField = frameFieldOf(codebook.fields, filters.field);
  const frames = frameField ? frameField.options.map((o) => ({ value: o.value, label: o.label, parent: o.parent })) : [];
  if (filters.frame !== undefined && !frames.some((f) => f.value === filters.frame)) {
    throw badRequest(`"${filters.frame}" is not a frame of ${frameField ? `"${frameField.key}"` : 'the codebook'}`);
  }
  // Read here, not through listIncidents: that verb asks for `items.read`, which a read-export token lacks.
  const incidentRows = await ctx.db
    .select({ id: incidents.id, name: incidents.name })
    .from(incidents)
    .where(eq(incidents.projectId, projectId))
    .orderBy(asc(incidents.createdAt), asc(incidents.name));
  if (filters.incident !== undefined && !incidentRows.some((i) => i.id === filters.incident)) throw notFound('incident');
  const labels = await loadCoderLabels({ ctx, projectId });
  const [passages, texts] = await Promise.all([loadPassages({ ctx, projectId, fields: codebook.fields, label: labels.label }), loadItemTexts({ ctx, projectId })]);
  const byKey = new Map(codebook.fields.map((f) => [f.key, f]));
  const family = filters.frame !== undefined ? frameFamily(frames, filters.frame) : null;

  const all: WorkbenchItem[] = data.items.map((item) => {
    const frameValue = frameField ? item.values[frameField.key]?.value : null;
    const itemFrames = typeof frameValue === 'string' ? [frameValue] : Array.isArray(frameValue) ? [...frameValue] : [];
    const text = texts.get(item.id);
    return {
      id: item.id,
      externalId: item.externalId,
      title: item.title,
      url: item.url,
      platform: item.platform,
      publishedAt: item.publishedAt,
      language: text?.language ?? null,
      incidents: item.incidents,
      phase: item.phase,
      translation: text?.translation ?? null,
      frames: frames.filter((f) => itemFrames.includes(f.value)).map((f) => f.value),
      values: Object.fromEntries(
        Object.entries(item.values).map(([key, v]) => [
          key,
          { value: v.value, provenance: v.provenance, text: v.provenance === 'open' ? OPEN_TEXT : valueText(byKey.get(key)!, v.value, v.actors) },
        ]),
      ),
      // Revealed items only (passages.ts); an independent item has none, as it has no values.
      passages: item.phase === 'revealed' ? (passages.get(item.id) ?? []) : [],
    };
  });
  const kept = all.filter(
    (item) =>
      (filters.incident === undefined || item.incidents.some((i) => i.id === filters.incident)) &&
      (family === null || item.frames.some((f) => family.has(f)) || item.passages.some((p) => p.fieldKey === frameField!.key && family.has(p.frame))),
  );
  return {
    project: data.project,
    frameField: frameField ? { key: frameField.key, label: frameField.label } : null,
    frameFields: codebook.fields.filter(isChoice).map((f) => ({ key: f.key, label: f.label })),
    frames,
    incidents: incidentRows,
    fields: codebook.fields.map((f) => ({ key: f.key, label: f.label, type: f.type })),
    total: kept.length,
    items: kept,
  };
}

export async function getWorkbench({ ctx, projectId, query }: { ctx: ServiceContext; projectId: string; query: WorkbenchFilters & { limit: number; offset: number } }): Promise<Workbench> {
  const { limit, offset, ...filters } = query;
  const whole = await loadWorkbench({ ctx, projectId, query: filters });
  return { ...whole, limit, offset, items: whole.items.slice(offset, offset + limit) };
}
