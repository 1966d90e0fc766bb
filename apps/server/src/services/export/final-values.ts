/**
 * The final value of one (item, field) and where it comes from (`PROVENANCES` in
 * @concord/shared). The value follows the charts' counting rule (report/consensus.ts), so the
 * final dataset and the charts always agree: a decision wins; else the value a production
 * round's joint session agreed on (a revised coding); else the value more than half of the
 * coders submitted; else none. Values that no longer fit the codebook are not votes.
 */
import { checkValue, formatValue, type CodingValue, type FieldDefinition, type Provenance } from '@concord/shared';
import { consensusValue } from '../report/consensus.ts';

export interface FinalValue {
  value: CodingValue | null;
  provenance: Provenance;
  /** A link field's actors, added by the final dataset. */
  actors?: { id: string; name: string }[];
}

export const OPEN: FinalValue = { value: null, provenance: 'open' };

/**
 * @param votes the submitted values of the item's coders for this field
 * @param itemCoders how many coders submitted the item (one: a decision is a review)
 * @param decided the decided adjudication, if any (`value: null` is "no value")
 * @param imported every vote comes from a round of type `imported`
 * @param revised the field's revised coding, if any (it fits the codebook it was checked against)
 */
export function finalValue(field: FieldDefinition, votes: readonly CodingValue[], itemCoders: number, decided?: { value: CodingValue | null }, imported = false, revised?: CodingValue): FinalValue {
  if (decided) return { value: consensusValue(field, votes, decided), provenance: itemCoders <= 1 ? 'reviewed' : 'decided' };
  // Checked again: the codebook may have changed since the session ended.
  if (revised !== undefined && checkValue(field, revised) === null) return { value: revised, provenance: 'revised' };
  const agreed = agreedValue(field, votes);
  // Values that came with the data (every vote from an imported round) say so, however many.
  return imported && agreed.provenance !== 'open' ? { value: agreed.value, provenance: 'imported' } : agreed;
}

function agreedValue(field: FieldDefinition, votes: readonly CodingValue[]): FinalValue {
  const valid = votes.filter((v) => checkValue(field, v) === null);
  if (valid.length === 0) return OPEN;
  if (valid.length === 1) return { value: valid[0]!, provenance: 'single' };
  const first = formatValue(valid[0]!);
  if (valid.every((v) => formatValue(v) === first)) return { value: valid[0]!, provenance: 'unanimous' };
  const majority = consensusValue(field, valid);
  return majority === null ? OPEN : { value: majority, provenance: 'majority' };
}
