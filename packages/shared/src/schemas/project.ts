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
 */
export const projectProgressSchema = z.object({
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

/**
 * Invite an email into this project (POST /projects/:id/members). Whatever the email (no account,
 * a pending one, an active one), the answer has the same shape: a pending invitation and its link.
 */
export const memberInput = z.object({
  email: emailSchema,
  role: z.enum(ROLES),
  /** The display name of an account this invitation creates (ignored for an existing account). */
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

export const inviteInput = memberInput;
export type InviteInput = z.infer<typeof inviteInput>;

/** A pending invitation of a project, as its managers see it (GET /projects/:id/invitations). */
export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const inviteResultSchema = z.object({
  invitation: invitationSchema.extend({
    /** Shown once; only its hash is stored. */
    token: z.string(),
    /** The page the invitee opens: `/invite/<token>`. */
    path: z.string(),
  }),
});
export type InviteResult = z.infer<typeof inviteResultSchema>;

export const inviteInfoSchema = z.object({
  email: z.string(),
  name: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  role: z.enum(ROLES),
  expiresAt: z.string(),
  /**
   * True while the account has no password: accepting sets it. False: the invitee accepts
   * signed in as this account.
   */
  needsPassword: z.boolean(),
});
export type InviteInfo = z.infer<typeof inviteInfoSchema>;

export const acceptInviteInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  /** Required when the account has no password yet; otherwise the invitee is signed in and sends none. */
  password: passwordSchema.optional(),
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
