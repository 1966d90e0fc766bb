import { expect } from 'vitest';
import type { Role } from '@concord/shared';
import { createProjectFixture, signUp, signUpTeam, type Harness, type ProjectFixture, type Session } from './harness.ts';

/**
 * A fresh team (so digests count only this project) whose item is revealed with two
 * disagreements: frame (security vs leader) and impact (-3 vs 3).
 */
export async function revealedDisagreement(h: Harness): Promise<{ team: Record<Role, Session>; coderB: Session; f: ProjectFixture }> {
  const team = await signUpTeam(h);
  const coderB = await signUp(h, 'coderB');
  const f = await createProjectFixture(h, team, { extraCoders: [coderB] });
  const base = `/api/projects/${f.projectId}/items/${f.itemId}/codings/me`;
  for (const [s, values] of [
    [team.coder, { frame: 'security', impact: -3 }],
    [coderB, { frame: 'leader', impact: 3 }],
  ] as const) {
    expect((await h.request(s, 'PUT', base, { values })).status).toBe(200);
    expect((await h.request(s, 'POST', `${base}/submit`)).status).toBe(200);
  }
  return { team, coderB, f };
}
