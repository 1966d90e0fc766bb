/**
 * The data behind the per-field exports: one field's submitted codings of revealed items
 * as the wide export lays them out (units in import order, coders by email), through the
 * reliability service's own matrix, so every layout holds the same cells.
 */
import type { FieldDefinition } from '@concord/shared';
import { AppError } from '../../errors.ts';
import { authorize } from '../authz.ts';
import type { ServiceContext } from '../context.ts';
import { loadCodebook } from '../codebook/codebook.ts';
import { fieldMatrix, type FieldMatrix } from '../reliability/field-matrix.ts';
import { loadRevealedCodings } from '../reliability/revealed-codings.ts';

export async function loadFieldExport(
  ctx: ServiceContext,
  projectId: string,
  fieldKey: string,
): Promise<{ field: FieldDefinition; matrix: FieldMatrix; codebookVersion: number }> {
  await authorize(ctx, projectId, 'export.read');
  const codebook = await loadCodebook(ctx, projectId);
  const field = codebook.fields.find((f) => f.key === fieldKey);
  if (!field) throw new AppError('VALIDATION_FAILED', `unknown field "${fieldKey}"`, [{ path: ['field'], message: `unknown field "${fieldKey}"` }]);
  const rows = await loadRevealedCodings(ctx, projectId, { field: fieldKey });
  return { field, matrix: fieldMatrix(rows.map((r) => ({ unit: r.itemId, coder: r.email, value: r.value }))), codebookVersion: codebook.version };
}
