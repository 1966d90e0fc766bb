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
export const projectUpdateInput = projectFields
  .extend({
    /** Exports and reports name coders by display name instead of their pseudonym (C1, C2…). Owners only, like every setting. */
    showCoderNames: z.boolean(),
  })
  .partial();

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
  id: text(),
  name: text(),
  description: text(),
  role: z.enum(ROLES),
  createdAt: text(),
  itemCount: z.number().int(),
  progress: projectProgressSchema,
  /** What the caller's role may do here (the server's policy), so pages show only what works. */
  actions: z.array(z.enum(ACTIONS)),
  /** Exports and reports show coders' names (true) or pseudonyms C1, C2… (false, the default). */
  showCoderNames: z.boolean(),
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
  name: text().trim().min(1).max(200).optional(),
});
export const memberUpdateInput = z.object({ role: z.enum(ROLES) });

export const memberSchema = z.object({
  userId: text(),
  email: text(),
  name: text(),
  role: z.enum(ROLES),
});
export type Member = z.infer<typeof memberSchema>;

export const inviteInput = memberInput;
export type InviteInput = z.infer<typeof inviteInput>;

/** A pending invitation of a project, as its managers see it (GET /projects/:id/invitations). */
export const invitationSchema = z.object({
  id: text(),
  email: text(),
  role: z.enum(ROLES),
  createdAt: text(),
  expiresAt: text(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const inviteResultSchema = z.object({
  invitation: invitationSchema.extend({
    /** Shown once; only its hash is stored. */
    token: text(),
    /** The page the invitee opens: `/invite/<token>`. */
    path: text(),
    /** True when the link is also mailed to the invitee (SMTP is configured); the same for every email. */
    mailed: z.boolean(),
  }),
});
export type InviteResult = z.infer<typeof inviteResultSchema>;

export const inviteInfoSchema = z.object({
  email: text(),
  name: text(),
  projectId: text(),
  projectName: text(),
  role: z.enum(ROLES),
  expiresAt: text(),
  /**
   * True while the account has no password: accepting sets it. False: the invitee accepts
   * signed in as this account.
   */
  needsPassword: z.boolean(),
});
export type InviteInfo = z.infer<typeof inviteInfoSchema>;

export const acceptInviteInput = z.object({
  name: text().trim().min(1).max(200).optional(),
  /** Required when the account has no password yet; otherwise the invitee is signed in and sends none. */
  password: passwordSchema.optional(),
});
export type AcceptInviteInput = z.infer<typeof acceptInviteInput>;
export const acceptInviteResultSchema = z.object({ user: userSchema, projectId: text() });

const calendarDay = z.iso.date();

export const incidentInput = z.object({
  name: text().trim().min(1).max(300),
  description: text().max(10_000).default(''),
  country: text().trim().max(100).nullable().default(null),
  /** Calendar days, YYYY-MM-DD; the end may not come before the start. */
  startDate: calendarDay.nullable().default(null),
  endDate: calendarDay.nullable().default(null),
  tags: z.array(text().trim().min(1).max(100)).max(50).default([]),
});
export type IncidentInput = z.input<typeof incidentInput>;
/** Every field optional and without defaults, so an edit changes only what it names. */
export const incidentUpdateInput = z.object({
  name: incidentInput.shape.name,
  description: text().max(10_000),
  country: text().trim().max(100).nullable(),
  startDate: calendarDay.nullable(),
  endDate: calendarDay.nullable(),
  tags: z.array(text().trim().min(1).max(100)).max(50),
}).partial();
export type IncidentUpdateInput = z.infer<typeof incidentUpdateInput>;
export const incidentSchema = z.object({
  id: text(),
  name: text(),
  description: text(),
  country: text().nullable(),
  startDate: text().nullable(),
  endDate: text().nullable(),
  tags: z.array(text()),
  /** Items linked to the incident (an item in several incidents counts under each). */
  itemCount: z.number().int(),
});
export const incidentListSchema = z.object({ incidents: z.array(incidentSchema) });
export type Incident = z.infer<typeof incidentSchema>;

/**
 * One incident with how far its items are coded, counted as the project's progress is (the
 * same `scope`): managers see the incident's totals, other members their own work on it.
 */
export const incidentDetailSchema = incidentSchema.extend({ progress: projectProgressSchema });
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;
