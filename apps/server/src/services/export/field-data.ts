/**
 * The data behind the per-field exports: one field's submitted codings of revealed items
 * as the wide export lays them out (units in import order, coders in pseudonym order,
 * named by their label), through the reliability service's own matrix, so every layout
 * holds the same cells.
 */
import type { FieldDefinition } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { fieldMatrix, type FieldMatrix } from '../reliability/field-matrix.ts';
import { loadRevealedCodings } from '../reliability/revealed-codings.ts';
import { loadCoderLabels } from './pseudonyms.ts';

/** The matrix with its coder columns reordered (a permutation of `m.coders`). */
function reorderCoders(m: FieldMatrix, coders: string[]): FieldMatrix {
  const from = coders.map((c) => m.coders.indexOf(c));
  const cells = m.units.flatMap((_, u) => from.map((c) => m.cells[u * m.coders.length + c]));
  return { units: m.units, coders, cells };
}

export async function loadFieldExport({ ctx, projectId, fieldKey }: {
  ctx: ServiceContext;
  projectId: string;
  fieldKey: string;
}): Promise<{ field: FieldDefinition; matrix: FieldMatrix; codebookVersion: number }> {
  await authorize({ ctx, projectId, action: 'export.read' });
  const codebook = await loadCodebook({ ctx, projectId });
  const field = codebook.fields.find((f) => f.key === fieldKey);
  if (!field) throw new AppError('VALIDATION_FAILED', `unknown field "${fieldKey}"`, [{ path: ['field'], message: `unknown field "${fieldKey}"` }]);
  const [rows, labels] = await Promise.all([loadRevealedCodings({ ctx, projectId, filters: { field: fieldKey } }), loadCoderLabels({ ctx, projectId })]);
  const byId = fieldMatrix(rows.map((r) => ({ unit: r.itemId, coder: r.coderId, value: r.value })));
  const ordered = reorderCoders(byId, [...byId.coders].sort((a, b) => labels.rank(a) - labels.rank(b)));
  return { field, matrix: { ...ordered, coders: ordered.coders.map((id) => labels.label(id)) }, codebookVersion: codebook.version };
}
