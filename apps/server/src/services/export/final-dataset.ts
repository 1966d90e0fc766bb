/**
 * The final dataset a study publishes: one row per item, per field the final value and its
 * provenance (final-values.ts), and the item's metadata. Blind coding holds (SECURITY.md,
 * rule 5): only revealed items have values, from submitted codings, revised codings and decided
 * adjudications; every other item is listed with its metadata and every field `open`.
 */
import { and, eq } from 'drizzle-orm';
import { projects, rounds } from '@concord/db';
import { formatValue, ITEM_EXPORT_COLUMNS, type CodingValue, type FieldDefinition, type FinalDataset } from '@concord/shared';
import { notFound } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadAdjudications } from '../adjudications/list-adjudications.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { loadRevealedCodings } from '../reliability/revealed-codings.ts';
import { loadRevisedValues } from '../revisions/item-revisions.ts';
import { csvTable, type CsvText } from './csv.ts';
import { finalValue, OPEN, type FinalValue } from './final-values.ts';
import { actorNames, linkCells } from '../actors/link-values.ts';
import { itemCells, loadItemMeta } from './item-meta.ts';
import { xlsxWorkbook, type XlsxBytes } from './xlsx.ts';

/** Columns before the fields'; a field whose key is one of them is written as `field_<key>`. */
const LEADING = ['unit', ...ITEM_EXPORT_COLUMNS, 'phase'] as const;
const columnOf = (key: string) => ((LEADING as readonly string[]).includes(key) ? `field_${key}` : key);

export async function loadFinalDataset({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<FinalDataset> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const [project] = await ctx.db.select({ id: projects.id, name: projects.name }).from(projects).where(eq(projects.id, projectId));
  if (!project) throw notFound('project');
  const [codebook, meta, codings, decisions, revised, names] = await Promise.all([
    loadCodebook({ ctx, projectId }),
    loadItemMeta({ ctx, projectId }),
    loadRevealedCodings({ ctx, projectId, filters: {} }),
    loadAdjudications({ ctx, projectId, filter: { status: 'decided', revealedOnly: true } }),
    loadRevisedValues({ ctx, projectId }),
    actorNames({ ctx, projectId }),
  ]);
  /** A link field's final value as ids (resolved, sorted) with their names. */
  const withActors = (f: FieldDefinition, v: FinalValue): FinalValue => {
    const linked = f.type === 'link' ? linkCells(v.value, names) : null;
    return linked ? { ...v, value: linked.ids, actors: linked.ids.map((id, i) => ({ id, name: linked.names[i]! })) } : v;
  };
  const importedRounds = new Set(
    (await ctx.db.select({ id: rounds.id }).from(rounds).where(and(eq(rounds.projectId, projectId), eq(rounds.type, 'imported')))).map((r) => r.id),
  );
  const votes = new Map<string, CodingValue[]>();
  /** (item, field) keys with a vote made in Concord, not brought in by an imported round. */
  const codedHere = new Set<string>();
  const coders = new Map<string, Set<string>>();
  for (const c of codings) {
    const key = `${c.itemId}\u0000${c.fieldKey}`;
    votes.set(key, [...(votes.get(key) ?? []), c.value]);
    if (!c.roundId || !importedRounds.has(c.roundId)) codedHere.add(key);
    if (!coders.has(c.itemId)) coders.set(c.itemId, new Set());
    coders.get(c.itemId)!.add(c.coderId);
  }
  const decided = new Map(decisions.map((d) => [`${d.row.itemId}\u0000${d.row.fieldKey}`, { value: d.row.value }]));
  return {
    project,
    codebook: { name: codebook.name, version: codebook.version },
    fields: codebook.fields.map((f) => ({ key: f.key, label: f.label, type: f.type, column: columnOf(f.key) })),
    // Archived items are not part of the study any more (issue 12): one row per other item.
    items: meta
      .filter((m) => !m.archived)
      .map(({ archived: _archived, ...m }) => ({
        ...m,
        values: Object.fromEntries(
          codebook.fields.map((f) => {
            if (m.phase !== 'revealed') return [f.key, OPEN];
            const key = `${m.id}\u0000${f.key}`;
            const imported = votes.has(key) && !codedHere.has(key);
            return [f.key, withActors(f, finalValue(f, votes.get(key) ?? [], coders.get(m.id)?.size ?? 0, decided.get(key), imported, revised.get(key)))];
          }),
        ),
      })),
  };
}

/**
 * The dataset as one table: `unit`, the item columns, `phase`, then per field its value and
 * `<column>_provenance`; a link field's value (actor ids) is followed by `<column>_names`.
 */
export function finalTable(data: FinalDataset): { header: string[]; rows: string[][] } {
  const namesOf = (v: { actors?: { name: string }[] | undefined }) => (v.actors ? (v.actors.length ? v.actors.map((a) => a.name).join('|') : '|') : '');
  return {
    header: [...LEADING, ...data.fields.flatMap((f) => (f.type === 'link' ? [f.column, `${f.column}_names`, `${f.column}_provenance`] : [f.column, `${f.column}_provenance`]))],
    rows: data.items.map((item) => [
      item.id,
      ...itemCells(item),
      item.phase,
      ...data.fields.flatMap((f) => {
        const v = item.values[f.key] ?? OPEN;
        return f.type === 'link' ? [formatValue(v.value), namesOf(v), v.provenance] : [formatValue(v.value), v.provenance];
      }),
    ]),
  };
}

export async function exportFinalCsv({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CsvText> {
  const { header, rows } = finalTable(await loadFinalDataset({ ctx, projectId }));
  return csvTable(header, rows);
}

/** The CSV table as a workbook; the values of ordinal and number fields are number cells. */
export async function exportFinalXlsx({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<XlsxBytes> {
  const data = await loadFinalDataset({ ctx, projectId });
  const { header, rows } = finalTable(data);
  const numeric = new Set(data.fields.flatMap((f) => (f.type === 'ordinal' || f.type === 'number' ? [header.indexOf(f.column)] : [])));
  return xlsxWorkbook([{ name: 'final dataset', header, rows, numeric }]);
}
