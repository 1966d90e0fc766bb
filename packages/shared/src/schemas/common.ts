import { z } from 'zod';

/** PostgreSQL cannot store U+0000 in text or jsonb: refused at the edge, naming the field, rather than failing in the database. */
export const NUL_MESSAGE = 'must not contain a NUL character (U+0000)';

export const hasNul = (s: string): boolean => s.includes('\u0000');

// eslint-disable-next-line no-restricted-syntax -- the one place the bare string schema is refined
const textSchema = z.string().refine((s) => !hasNul(s), NUL_MESSAGE);

/**
 * Every string the API, the sockets or the live documents take: a string without NUL. Use it
 * wherever a schema would say z.string() (lint enforces this in schemas and routes).
 *
 * One schema for every call: zod's schemas are immutable (`.max()`, `.optional()`, `.openapi()`
 * return new ones) and each keeps the one it was made from, so a new string and refinement per
 * call (about 470 calls) only added about 1,460 schemas (1.8 MB) to every server's heap for as
 * long as it runs (bench/README.md, "2026-12-07 evening (`mem7`)").
 */
export const text = () => textSchema;

export const idSchema = (prefix: string) =>
  text().regex(new RegExp(`^${prefix}_[a-z2-7]{16}$`), `must be a ${prefix}_ id`);

export const paginationSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const okSchema = z.object({ ok: z.literal(true) });
