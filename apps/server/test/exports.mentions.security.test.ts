/**
 * Exports name people by pseudonym (SECURITY.md), and that includes the people a comment or a
 * rationale mentions: `@dana.k` (an email's local part) and `@DanaKowalska` (a display name)
 * are how mentions are written, so the discussion and gold exports carried real names in their
 * text though `by_name` said `C2`. Through the routes, on a revealed item.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscussionEntry, Role } from '@concord/shared';
import { insertUser } from '../src/services/auth/users.ts';
import { addToProject, createHarness, createProjectFixture, json, loginCookie, PASSWORD, signUp, signUpTeam, uniqueEmail, type Harness, type Session } from './harness.ts';

let h: Harness;
let team: Record<Role, Session>;
let dana: Session;
let ola: Session;
let projectId: string;
let itemId: string;
const local = (s: Session) => s.email.split('@')[0]!;

async function call(who: Session, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await h.request(who, method, `/api/projects/${projectId}${path}`, body);
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return res;
}

beforeAll(async () => {
  h = await createHarness();
  team = await signUpTeam(h);
  const email = uniqueEmail('dana.kowalska');
  const user = await insertUser({ ctx: h.ctx(null), input: { email, name: 'Dana Kowalska', password: PASSWORD } });
  dana = { userId: user.id, email, cookie: await loginCookie(h, email) };
  ola = await signUp(h, 'OlaNowak');
  ({ projectId, itemId } = await createProjectFixture(h, team, { extraCoders: [dana] }));
  await addToProject(h, team.owner, projectId, ola, 'coder');
  for (const [coder, frame] of [[team.coder, 'security'], [dana, 'leader']] as const) {
    await call(coder, 'PUT', `/items/${itemId}/codings/me`, { values: { frame, impact: 1 } });
    await call(coder, 'POST', `/items/${itemId}/codings/me/submit`);
  }
  await call(team.editor, 'POST', `/items/${itemId}/comments`, { body: `@${local(dana)} and @DanaKowalska: why "leader"? cc @OlaNowak, @nobody.`, fieldKey: 'frame' });
  await call(team.editor, 'PUT', `/items/${itemId}/adjudications/frame`, { value: 'security', rationale: 'after the thread with @DanaKowalska.' });
  // Ola leaves before any export numbered her: her mention still names nobody.
  await call(team.owner, 'DELETE', `/members/${ola.userId}`);
}, 120_000);
afterAll(() => h.close());

async function download(path: string): Promise<string> {
  return (await call(team.owner, 'GET', `/export/${path}`)).text();
}

describe('mentions in exported text', () => {
  it('name the mentioned people by pseudonym in the discussion and gold exports', async () => {
    const { entries } = await json<{ entries: DiscussionEntry[] }>(await call(team.owner, 'GET', '/export/discussion.json'));
    const key = parse(await download('coder-key.csv'), { columns: true }) as { pseudonym: string; user_id: string }[];
    const danaLabel = key.find((r) => r.user_id === dana.userId)!.pseudonym;
    expect(danaLabel).toMatch(/^C\d+$/);
    expect(entries.map((e) => [e.kind, e.text])).toEqual([
      ['comment', `@${danaLabel} and @${danaLabel}: why "leader"? cc @former-member, @nobody.`],
      ['decide', `after the thread with @${danaLabel}.`],
    ]);
    const files = [JSON.stringify(entries), await download('discussion.csv'), await download('gold.csv')];
    expect(files[2]).toContain(`after the thread with @${danaLabel}.`);
    for (const file of files) expect(file.toLowerCase()).not.toMatch(/kowalska|olanowak/);
  });

  it('keep the text as written when the project shows names', async () => {
    await call(team.owner, 'PATCH', '', { showCoderNames: true });
    const { entries } = await json<{ entries: DiscussionEntry[] }>(await call(team.owner, 'GET', '/export/discussion.json'));
    expect(entries[0]!.text).toBe(`@${local(dana)} and @DanaKowalska: why "leader"? cc @OlaNowak, @nobody.`);
  });
});
