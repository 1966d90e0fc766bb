/**
 * One coder against gold on one field: the coder and the answer key as the two coders of a
 * units x 2 matrix, measured with @concord/reliability as the reliability API measures a
 * field (fieldData: categories in codebook order, the field's level, N/A as that level
 * requires). Krippendorff's alpha at the field's level; Cohen's kappa, unweighted for
 * single choice and quadratic-weighted for scales and numbers (none for sets). Pure.
 */
import { cohenKappa, krippendorffAlpha, setAlpha, type WeightScheme } from '@concord/reliability';
import type { CodingValue, FieldDefinition, GoldAgreement } from '@concord/shared';
import { fieldMatrix, type FieldCell } from '../reliability/field-matrix.ts';
import { fieldData } from '../reliability/field-reliability.ts';

/** Column names of the two "coders" (sorted order puts the coder first). */
const CODER = 'coder';
const GOLD = 'gold';

export interface GoldPair {
  itemId: string;
  value: CodingValue;
  gold: CodingValue;
}

const none = (fieldKey: string, n: number, alphaLevel: string | null): GoldAgreement => ({
  fieldKey,
  n,
  alpha: null,
  alphaLevel,
  kappa: null,
  kappaWeights: null,
  percentAgreement: null,
});

export function agreementWithGold(field: FieldDefinition, pairs: readonly GoldPair[]): GoldAgreement {
  const cells: FieldCell[] = pairs.flatMap((p) => [
    { unit: p.itemId, coder: CODER, value: p.value },
    { unit: p.itemId, coder: GOLD, value: p.gold },
  ]);
  if (field.type === 'text' || pairs.length === 0) return none(field.key, pairs.length, null);
  const d = fieldData(field, fieldMatrix(cells));
  if (!d) return none(field.key, pairs.length, null);
  if (d.kind === 'sets') {
    const a = setAlpha({ data: d.data, distance: 'masi' });
    return { ...none(field.key, a.nPairableUnits, 'masi'), alpha: a.value, percentAgreement: a.percentAgreement };
  }
  const a = krippendorffAlpha({ data: d.data, level: d.level });
  const weights: WeightScheme = d.level === 'nominal' ? 'unweighted' : 'quadratic';
  const k = cohenKappa({ data: d.data, weights });
  return { fieldKey: field.key, n: a.nPairableUnits, alpha: a.value, alphaLevel: d.level, kappa: k.value, kappaWeights: weights, percentAgreement: a.percentAgreement };
}
