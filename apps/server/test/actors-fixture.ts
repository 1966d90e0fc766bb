/**
 * A project for the actor tests: a member per role, three coders, the small codebook plus two
 * link fields (`sources` lets coders create actors on the fly, `speakers` does not), and items
 * assigned to all three coders.
 */
import { expect } from 'vitest';
import type { Actor, ErrorBody, FieldDefinitionInput, Role } from '@concord/shared';
import { addToProject, json, signUp, signUpTeam, SMALL_CODEBOOK, type Harness, type Session } from './harness.ts';

export const LINK_FIELDS: FieldDefinitionInput[] = [
  { key: 'sources', label: 'Sources', help: '', type: 'link', required: false, allowNa: true, allowCreate: true },
  { key: 'speakers', label: 'Speakers', help: '', type: 'link', required: false, allowNa: false, allowCreate: false },
];

export interface ActorsFixture {
  projectId: string;
  team: Record<Role, Session>;
  coders: [Session, Session, Session];
  itemIds: string[];
  call(who: Session | null, method: string, path: string, body?: unknown): Promise<Response>;
  ok<T = unknown>(who: Session, method: string, path: string, body?: unknown): Promise<T>;
  create(who: Session, body: Record<string, unknown>): Promise<Actor>;
  list(who: Session, q?: string): Promise<Actor[]>;
}

export async function actorsFixture(h: Harness, itemCount = 3): Promise<ActorsFixture> {
  const team = await signUpTeam(h);
  const coders = [team.coder, await signUp(h, 'coder_two'), await signUp(h, 'coder_three')] as [Session, Session, Session];
  const project = await json<{ id: string }>(await h.request(team.owner, 'POST', '/api/projects', { name: 'Actors', description: '' }));
  const projectId = project.id;
  const call = (who: Session | null, method: string, path: string, body?: unknown) => h.request(who, method, `/api/projects/${projectId}${path}`, body);
  const ok = async <T>(who: Session, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await call(who, method, path, body);
    expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return json<T>(res);
  };
  for (const [who, role] of [[team.editor, 'editor'], [team.methodologist, 'methodologist'], ...coders.map((c) => [c, 'coder'] as const)] as const) {
    await addToProject(h, team.owner, projectId, who, role);
  }
  await ok(team.owner, 'PUT', '/codebook', { ...SMALL_CODEBOOK, fields: [...SMALL_CODEBOOK.fields, ...LINK_FIELDS], baseVersion: 1 });
  const itemIds: string[] = [];
  for (let i = 0; i < itemCount; i++) itemIds.push((await ok<{ id: string }>(team.editor, 'POST', '/items', { title: `Item ${i + 1}` })).id);
  await ok(team.owner, 'POST', '/assignments', { roundName: 'all', coderIds: coders.map((c) => c.userId), itemIds, mode: { type: 'k', k: 3 }, seed: 1 });
  return {
    projectId,
    team,
    coders,
    itemIds,
    call,
    ok,
    create: (who, body) => ok<Actor>(who, 'POST', '/actors', body),
    list: async (who, q) => (await ok<{ actors: Actor[] }>(who, 'GET', `/actors${q ? `?q=${encodeURIComponent(q)}` : ''}`)).actors,
  };
}

/** The error body every refusal has. */
export async function expectError(res: Response, status: number, code: string): Promise<{ code: string; message: string; details?: { path?: unknown[]; message: string }[] }> {
  expect(res.status, await res.clone().text()).toBe(status);
  const body = await json<ErrorBody>(res);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  return body.error;
}
