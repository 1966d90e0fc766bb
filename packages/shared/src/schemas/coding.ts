import { z } from 'zod';
import { text } from './common.ts';
import type { CodingValue } from '../values.ts';

export const naSchema = z.object({ na: z.literal(true) }).strict();

/**
 * A coded value: a choice's value, a set of choices, a scale point or number,
 * free text, or N/A. Missing is represented by the absence of a coding.
 */
export const codingValueSchema: z.ZodType<CodingValue> = z.union([
  text().max(100_000),
  z.number().finite(),
  z.array(text().max(120)).max(500),
  naSchema,
]);

export const CODING_STATUSES = ['draft', 'submitted'] as const;
export type CodingStatus = (typeof CODING_STATUSES)[number];

export const codingsUpsertInput = z.object({
  values: z
    .record(text(), codingValueSchema.nullable())
    .refine((r) => Object.keys(r).length <= 200, 'at most 200 fields at once'),
});
export type CodingsUpsertInput = z.infer<typeof codingsUpsertInput>;

export const codingSchema = z.object({
  itemId: text(),
  coderId: text(),
  fieldKey: text(),
  codebookVersion: z.number().int(),
  value: codingValueSchema,
  status: z.enum(CODING_STATUSES),
  updatedAt: text(),
  submittedAt: text().nullable(),
  /** The item's text version the coder submitted under (Item.textVersion then); null while a draft. */
  itemVersion: z.number().int().nullable(),
});
export type Coding = z.infer<typeof codingSchema>;
