import { z } from 'zod';
import { ACTIONS, ROLES } from '../roles.ts';
import { emailSchema, passwordSchema, userSchema } from './auth.ts';

/** Codebooks a new project can start from: none, or the Civic Media Observatory scheme of the demo study. */
export const PROJECT_TEMPLATES = ['empty', 'cmo'] as const;
export type ProjectTemplate = (typeof PROJECT_TEMPLATES)[number];

const projectFields = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
});
export const projectInput = projectFields.extend({ template: z.enum(PROJECT_TEMPLATES).default('empty') });
export const projectUpdateInput = projectFields.partial();

/**
 * How far the project's coding is, in items: `coded` have at least one coding value,
 * `submitted` at least one submitted assignment, `revealed` are in the revealed phase.
 * `scope: 'project'` (members who may read revealed codings): the project's totals.
 * `scope: 'mine'` (everyone else): the member's own work only, so that no count moves with
 * another coder's activity on a blind item: `items` are their assigned items, `coded` those
 * they coded, `submitted` those they submitted, `revealed` those of them revealed.
 */
export const projectProgressSchema = z.object({
  scope: z.enum(['project', 'mine']),
  items: z.number().int(),
  coded: z.number().int(),
  submitted: z.number().int(),
  revealed: z.number().int(),
});
export type ProjectProgress = z.infer<typeof projectProgressSchema>;

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
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
  name: z.string().trim().min(1).max(200).optional(),
});
export const memberUpdateInput = z.object({ role: z.enum(ROLES) });

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
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
      token: z.string(),
      /** The page the invitee opens: `/invite/<token>`. */
      path: z.string(),
      expiresAt: z.string(),
    })
    .nullable(),
});
export type InviteResult = z.infer<typeof inviteResultSchema>;

export const inviteInfoSchema = z.object({
  email: z.string(),
  name: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  role: z.enum(ROLES),
  expiresAt: z.string(),
});
export type InviteInfo = z.infer<typeof inviteInfoSchema>;

export const acceptInviteInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  password: passwordSchema,
});
export type AcceptInviteInput = z.infer<typeof acceptInviteInput>;
export const acceptInviteResultSchema = z.object({ user: userSchema, projectId: z.string() });

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
