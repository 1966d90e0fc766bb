import { z } from 'zod';
import type { Annotation } from '../annotations.ts';
import { fieldKeySchema } from './codebook.ts';
import { idSchema, text } from './common.ts';

/**
 * The zod schema of a span annotation (the type and its rules are in ../annotations.ts).
 * `annotationOn(text)` adds the bound of the item's text: from < to <= text.length.
 */
export const annotationSchema = z
  .object({
    id: idSchema('ann'),
    from: z.number().int().min(0),
    to: z.number().int().min(1),
    fieldKey: fieldKeySchema,
    frame: text().min(1).max(120),
    authorId: idSchema('usr'),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .refine((a) => a.from < a.to, { message: 'the span must not be empty (from < to)', path: ['to'] }) satisfies z.ZodType<Annotation>;

export const annotationOn = (text: string) =>
  annotationSchema.refine((a) => a.to <= text.length, { message: `the span ends after the text (${text.length} characters)`, path: ['to'] });
