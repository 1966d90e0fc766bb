/**
 * Field keys from labels, for the codebook editor and the REFI-QDA import: the one slug rule
 * of `codes.ts` with `field` as the prefix of labels that do not start with a letter.
 */
import { slugify } from './codes.ts';

/** A field key from a label, unique among `taken`: `Civic impact score` -> `civic_impact_score`. */
export const keyFromLabel = (label: string, taken: Iterable<string>): string => slugify(label, taken, 'field');
