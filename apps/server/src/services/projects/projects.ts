import { and, count, desc, eq } from 'drizzle-orm';
import { codebooks, codebookVersions, items, projectMembers, projects } from '@concord/db';
import { newId, type Project } from '@concord/shared';
import type { z } from 'zod';
import type { projectInput, projectUpdateInput } from '@concord/shared';
import { authorize, requireActor } from '../authz.ts';
import { inTransaction, iso, type ServiceContext } from '../context.ts';
import { audit } from '../audit.ts';

export async function listProjects(ctx: ServiceContext): Promise<Project[]> {
  const actor = requireActor(ctx);
  const rows = await ctx.db
    .select({
      id: projects.id,
      name: projects.name,
      description: projects.description,
      createdAt: projects.createdAt,
      role: projectMembers.role,
    })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(eq(projectMembers.userId, actor.userId))
    .orderBy(desc(projects.createdAt));
  const counts = await ctx.db
    .select({ projectId: items.projectId, n: count() })
    .from(items)
    .innerJoin(projectMembers, and(eq(projectMembers.projectId, items.projectId), eq(projectMembers.userId, actor.userId)))
    .groupBy(items.projectId);
  const byProject = new Map(counts.map((c) => [c.projectId, c.n]));
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt)!, itemCount: byProject.get(r.id) ?? 0 }));
}

export async function getProject(ctx: ServiceContext, projectId: string): Promise<Project> {
  const { role } = await authorize(ctx, projectId, 'project.read');
  const [row] = await ctx.db.select().from(projects).where(eq(projects.id, projectId));
  const [c] = await ctx.db.select({ n: count() }).from(items).where(eq(items.projectId, projectId));
  return { id: row!.id, name: row!.name, description: row!.description, createdAt: iso(row!.createdAt)!, role, itemCount: c?.n ?? 0 };
}

/** Any signed-in user may start a project; they become its owner, with an empty codebook v1. */
export async function createProject(ctx: ServiceContext, input: z.infer<typeof projectInput>): Promise<Project> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const id = newId('project');
    const [row] = await tx.db.insert(projects).values({ id, ...input, createdBy: actor.userId }).returning();
    await tx.db.insert(projectMembers).values({ projectId: id, userId: actor.userId, role: 'owner' });
    await audit(tx, { projectId: id, entity: 'membership', entityId: actor.userId, action: 'add', after: { role: 'owner' } });
    const codebookId = newId('codebook');
    await tx.db.insert(codebooks).values({ id: codebookId, projectId: id, name: `${input.name} codebook` });
    await tx.db.insert(codebookVersions).values({ id: newId('codebookVersion'), codebookId, version: 1, note: 'created', createdBy: actor.userId });
    return { id, name: row!.name, description: row!.description, createdAt: iso(row!.createdAt)!, role: 'owner' as const, itemCount: 0 };
  });
}

export async function updateProject(ctx: ServiceContext, projectId: string, input: z.infer<typeof projectUpdateInput>): Promise<Project> {
  await authorize(ctx, projectId, 'project.update');
  await ctx.db.update(projects).set({ ...input, updatedAt: new Date() }).where(eq(projects.id, projectId));
  return getProject(ctx, projectId);
}

export async function deleteProject(ctx: ServiceContext, projectId: string): Promise<void> {
  await authorize(ctx, projectId, 'project.delete');
  await ctx.db.delete(projects).where(eq(projects.id, projectId));
}
