import { z } from 'zod';

export const idSchema = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[a-z2-7]{16}$`), `must be a ${prefix}_ id`);

export const paginationSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const okSchema = z.object({ ok: z.literal(true) });
