/** Project roles, from most to least privileged. */
export const ROLES = ['owner', 'methodologist', 'editor', 'coder'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Every action a route or socket handler can ask the authorization layer about.
 * The policy (which role may do which action) lives in the server's authz module.
 */
export const ACTIONS = [
  'project.read',
  'project.update',
  'project.delete',
  'members.read',
  'members.manage',
  'codebook.read',
  'codebook.edit',
  'incidents.manage',
  'actors.manage',
  'items.read',
  'items.write',
  'items.import',
  'items.purge',
  'itemDoc.write',
  'itemDoc.moderate',
  'assignments.read',
  'assignments.manage',
  'codings.writeOwn',
  'codings.readRevealed',
  'codings.reopen',
  'phase.manage',
  'adjudications.read',
  'adjudications.write',
  'gold.write',
  'comments.write',
  'export.read',
  'export.key',
  'reliability.read',
  'reliability.plan',
  'disagreements.read',
  'audit.read',
] as const;
export type Action = (typeof ACTIONS)[number];

export const PHASES = ['independent', 'joint', 'revealed'] as const;
export type Phase = (typeof PHASES)[number];
