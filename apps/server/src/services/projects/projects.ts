import { desc, eq } from 'drizzle-orm';
import { codebookFields, codebooks, codebookVersions, projectMembers, projects } from '@concord/db';
import { ACTIONS, newId, type Action, type Project, type ProjectProgress, type ProjectTemplate, type Role } from '@concord/shared';
import type { z } from 'zod';
import type { projectUpdateInput } from '@concord/shared';
import { authorize, can, requireActor } from '../authz.ts';
import { inTransaction, iso, type ServiceContext } from '../context.ts';
import { audit } from '../audit.ts';
import { itemCounts, progressOf } from './progress.ts';
import { DEMO_CODEBOOK } from '../../demo/codebook.ts';

const actionsOf = (role: Role): Action[] => ACTIONS.filter((a) => can(role, a));

type ProjectRow = { id: string; name: string; description: string; createdAt: Date; showCoderNames: boolean };

function toProject(row: ProjectRow, role: Role, itemCount: number, progress: ProjectProgress): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: iso(row.createdAt)!,
    role,
    itemCount,
    progress,
    actions: actionsOf(role),
    showCoderNames: row.showCoderNames,
  };
}

export async function listProjects({ ctx }: { ctx: ServiceContext }): Promise<Project[]> {
  const actor = requireActor({ ctx });
  const rows = await ctx.db
    .select({
      id: projects.id,
      name: projects.name,
      description: projects.description,
      createdAt: projects.createdAt,
      showCoderNames: projects.showCoderNames,
      role: projectMembers.role,
    })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(eq(projectMembers.userId, actor.userId))
    .orderBy(desc(projects.createdAt));
  const ids = rows.map((r) => r.id);
  const [itemCount, progress] = await Promise.all([
    itemCounts({ ctx, projectIds: ids }),
    progressOf({
      ctx,
      memberships: rows.map((r) => ({ projectId: r.id, role: r.role })),
      userId: actor.userId,
    }),
  ]);
  return rows.map((r) => toProject(r, r.role, itemCount.get(r.id)!, progress.get(r.id)!));
}

export async function getProject({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<Project> {
  const { actor, role } = await authorize({ ctx, projectId, action: 'project.read' });
  const [row] = await ctx.db.select().from(projects).where(eq(projects.id, projectId));
  const [itemCount, progress] = await Promise.all([itemCounts({ ctx, projectIds: [projectId] }), progressOf({ ctx, memberships: [{ projectId, role }], userId: actor.userId })]);
  return toProject(row!, role, itemCount.get(projectId)!, progress.get(projectId)!);
}

/**
 * Any signed-in user may start a project; they become its owner, with codebook v1:
 * empty, or the Civic Media Observatory scheme of the demo study (`template: 'cmo'`).
 */
export async function createProject({ ctx, input }: {
  ctx: ServiceContext;
  input: { name: string; description?: string | undefined; template?: ProjectTemplate | undefined };
}): Promise<Project> {
  const actor = requireActor({ ctx });
  return inTransaction(ctx, async (tx) => {
    const id = newId('project');
    const [row] = await tx.db
      .insert(projects)
      .values({ id, name: input.name, description: input.description ?? '', createdBy: actor.userId })
      .returning();
    await tx.db.insert(projectMembers).values({ projectId: id, userId: actor.userId, role: 'owner' });
    await audit({ ctx: tx, entry: { projectId: id, entity: 'membership', entityId: actor.userId, action: 'add', after: { role: 'owner' } } });
    const codebookId = newId('codebook');
    const fromTemplate = input.template === 'cmo';
    await tx.db.insert(codebooks).values({ id: codebookId, projectId: id, name: fromTemplate ? DEMO_CODEBOOK.name : `${input.name} codebook` });
    const versionId = newId('codebookVersion');
    await tx.db
      .insert(codebookVersions)
      .values({ id: versionId, codebookId, version: 1, note: fromTemplate ? 'created from the Civic Media Observatory template' : 'created', createdBy: actor.userId });
    if (fromTemplate) {
      await tx.db
        .insert(codebookFields)
        .values(DEMO_CODEBOOK.fields.map((f, position) => ({ id: newId('field'), versionId, key: f.key, position, type: f.type, definition: f })));
      await audit({ ctx: tx, entry: { projectId: id, entity: 'codebook', entityId: codebookId, action: 'create', after: { version: 1, template: 'cmo', fields: DEMO_CODEBOOK.fields } } });
    }
    return toProject(row!, 'owner', 0, { scope: 'project', items: 0, coded: 0, submitted: 0, revealed: 0 });
  });
}

export async function updateProject({ ctx, projectId, input }: { ctx: ServiceContext; projectId: string; input: z.infer<typeof projectUpdateInput> }): Promise<Project> {
  await authorize({ ctx, projectId, action: 'project.update' });
  await inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select({ showCoderNames: projects.showCoderNames }).from(projects).where(eq(projects.id, projectId));
    await tx.db.update(projects).set({ ...input, updatedAt: new Date() }).where(eq(projects.id, projectId));
    // Whether files name coders is a privacy decision: kept in the audit log.
    if (input.showCoderNames !== undefined && input.showCoderNames !== before?.showCoderNames) {
      await audit({ ctx: tx, entry: { projectId, entity: 'project', entityId: projectId, action: 'show-coder-names', before: { showCoderNames: before?.showCoderNames }, after: { showCoderNames: input.showCoderNames } } });
    }
  });
  return getProject({ ctx, projectId });
}

export async function deleteProject({ ctx, projectId }: { ctx: ServiceContext; projectId: string }): Promise<void> {
  await authorize({ ctx, projectId, action: 'project.delete' });
  const members = await ctx.db.select({ userId: projectMembers.userId }).from(projectMembers).where(eq(projectMembers.projectId, projectId));
  await ctx.db.delete(projects).where(eq(projects.id, projectId));
  // Every member lost the project: the removal's path closes their live documents and takes
  // their sockets out of its rooms, on every process, instead of at their next reconnect.
  await Promise.all(members.map(({ userId }) => ctx.collab?.memberAccessChanged({ projectId, userId })));
  for (const { userId } of members) ctx.events?.publish({ type: 'member.accessChanged', projectId, userId });
}
