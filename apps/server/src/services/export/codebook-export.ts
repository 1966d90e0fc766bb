/**
 * The codebook as files: canonical JSON (the current version, keys sorted, two-space
 * indent, trailing newline: byte-stable, so it can be hashed) and CSV, one row per
 * option or scale point (with its parent and numeric code), one row for N/A where
 * allowed, and one row for number and text fields; every row carries the field's
 * measurement level and the reason recorded for it.
 */
import { measurementLevel, type Codebook, type FieldDefinition } from '@concord/shared';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { qdcDocument } from '../codebook/qdc-format.ts';
import { csvTable, type CsvText } from './csv.ts';

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

export function codebookJson(codebook: Codebook): string {
  return canonicalJson({ name: codebook.name, version: codebook.version, fields: codebook.fields });
}

export async function exportCodebookJson({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<string> {
  await authorize({ ctx, projectId, action: 'export.read' });
  return codebookJson(await loadCodebook({ ctx, projectId }));
}

export const CODEBOOK_CSV_COLUMNS = [
  'field_key',
  'field_label',
  'field_type',
  'field_help',
  'required',
  'allow_na',
  'min',
  'max',
  'integer',
  'max_length',
  'kind',
  'value',
  'label',
  'parent',
  'help',
  'code',
  // The measurement level reliability uses (the type's default unless the codebook sets one) and the reason recorded for it.
  'level',
  'level_reason',
] as const;

function fieldRows(field: FieldDefinition): string[][] {
  const head = [field.key, field.label, field.type, field.help, String(field.required), String(field.allowNa)];
  const numberCols = field.type === 'number' ? [field.min === null ? '' : String(field.min), field.max === null ? '' : String(field.max), String(field.integer)] : ['', '', ''];
  const maxLength = field.type === 'text' ? String(field.maxLength) : '';
  const measured = measurementLevel(field);
  const level = [measured.level ?? '', measured.reason ?? ''];
  const row = (kind: string, value: string, label: string, parent: string, help: string, code: string) => [...head, ...numberCols, maxLength, kind, value, label, parent, help, code, ...level];
  const na = field.allowNa ? [row('na', 'NA', 'Not applicable', '', '', field.type === 'single_choice' || field.type === 'multiple_choice' ? String(field.options.length + 1) : '')] : [];
  switch (field.type) {
    case 'single_choice':
    case 'multiple_choice':
      return [...field.options.map((o, i) => row('option', o.value, o.label, o.parent ?? '', o.help, String(i + 1))), ...na];
    case 'ordinal':
      return [...field.scale.map((p) => row('scale_point', String(p.value), p.label, '', '', String(p.value))), ...na];
    default:
      return [row('field', '', '', '', '', ''), ...na];
  }
}

export async function exportCodebookCsv({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<CsvText> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  return csvTable(CODEBOOK_CSV_COLUMNS, codebook.fields.flatMap(fieldRows));
}

/** The current version as a REFI-QDA codebook (`.qdc`, see services/codebook/qdc-format.ts). */
export async function exportCodebookQdc({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<string> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  return qdcDocument(projectId, codebook.name, codebook.fields, `Concord: ${codebook.name}, codebook version ${codebook.version}`);
}
