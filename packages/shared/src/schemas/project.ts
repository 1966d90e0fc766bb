import { z } from 'zod';
import { text } from './common.ts';
import { ACTIONS, ROLES } from '../roles.ts';
import { emailSchema, passwordSchema, userSchema } from './auth.ts';

/** Codebooks a new project can start from: none, or the Civic Media Observatory scheme of the demo study. */
export const PROJECT_TEMPLATES = ['empty', 'cmo'] as const;
export type ProjectTemplate = (typeof PROJECT_TEMPLATES)[number];

const projectFields = z.object({
  name: text().trim().min(1).max(200),
  description: text().max(5000).default(''),
});
export const projectInput = projectFields.extend({ template: z.enum(PROJECT_TEMPLATES).default('empty') });
export const projectUpdateInput = projectFields.partial();

/**
 * How far the project's coding is, in items: `coded` have at least one coding value,
 * `submitted` at least one submitted assignment, `revealed` are in the revealed phase.
 */
export const projectProgressSchema = z.object({
  items: z.number().int(),
  coded: z.number().int(),
  submitted: z.number().int(),
  revealed: z.number().int(),
});
export type ProjectProgress = z.infer<typeof projectProgressSchema>;

export const projectSchema = z.object({
  id: text(),
  name: text(),
  description: text(),
  role: z.enum(ROLES),
  createdAt: text(),
  itemCount: z.number().int(),
  progress: projectProgressSchema,
  /** What the caller's role may do here (the server's policy), so pages show only what works. */
  actions: z.array(z.enum(ACTIONS)),
});
export type Project = z.infer<typeof projectSchema>;

export const memberInput = z.object({
  email: emailSchema,
  role: z.enum(ROLES),
  /** Creates the account when no user has this email; the response then carries a one-time password. */
  name: text().trim().min(1).max(200).optional(),
});
export const memberUpdateInput = z.object({ role: z.enum(ROLES) });

export const memberSchema = z.object({
  userId: text(),
  email: text(),
  name: text(),
  role: z.enum(ROLES),
  /** Invited, and the one-time link has not been used yet (no password chosen). */
  invitePending: z.boolean().optional(),
});
export type Member = z.infer<typeof memberSchema>;

/** Invite by email: an unknown email gets an account and a one-time link to set its password. */
export const inviteInput = memberInput;
export type InviteInput = z.infer<typeof inviteInput>;

export const inviteResultSchema = z.object({
  member: memberSchema,
  /** Null when the email already had an account (the member signs in as usual). */
  invite: z
    .object({
      /** Shown once; only its hash is stored. */
      token: text(),
      /** The page the invitee opens: `/invite/<token>`. */
      path: text(),
      expiresAt: text(),
    })
    .nullable(),
});
export type InviteResult = z.infer<typeof inviteResultSchema>;

export const inviteInfoSchema = z.object({
  email: text(),
  name: text(),
  projectId: text(),
  projectName: text(),
  role: z.enum(ROLES),
  expiresAt: text(),
});
export type InviteInfo = z.infer<typeof inviteInfoSchema>;

export const acceptInviteInput = z.object({
  name: text().trim().min(1).max(200).optional(),
  password: passwordSchema,
});
export type AcceptInviteInput = z.infer<typeof acceptInviteInput>;
export const acceptInviteResultSchema = z.object({ user: userSchema, projectId: text() });

export const incidentInput = z.object({
  name: text().trim().min(1).max(300),
  description: text().max(10_000).default(''),
});
export const incidentSchema = z.object({
  id: text(),
  name: text(),
  description: text(),
  itemCount: z.number().int(),
});
export type Incident = z.infer<typeof incidentSchema>;
