import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { emailSchema } from './auth.ts';

export const projectInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
});
export const projectUpdateInput = projectInput.partial();

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  itemCount: z.number().int(),
});
export type Project = z.infer<typeof projectSchema>;

export const memberInput = z.object({
  email: emailSchema,
  role: z.enum(ROLES),
  /** Creates the account when no user has this email; the response then carries a one-time password. */
  name: z.string().trim().min(1).max(200).optional(),
});
export const memberUpdateInput = z.object({ role: z.enum(ROLES) });

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
});
export type Member = z.infer<typeof memberSchema>;

export const incidentInput = z.object({
  name: z.string().trim().min(1).max(300),
  description: z.string().max(10_000).default(''),
});
export const incidentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  itemCount: z.number().int(),
});
export type Incident = z.infer<typeof incidentSchema>;
