/**
 * Ending a session ends its live access (issue 11, finding 3), and an account that owes a
 * password change opens nothing live (finding 2): performed on a real server with stock
 * y-websocket and socket.io clients. Logout and password change close the session's open
 * /yjs and /socket.io connections and void its ws-tokens; a session found ended by the
 * periodic check (the CLI, expiry) closes too.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessions, users } from '@concord/db';
import { COLLAB_CLOSE_CODES, itemDocName } from '@concord/shared';
import { addToProject, json, loginCookie, PASSWORD, signUp, type Session } from './harness.ts';
import { collabSuite, connectRaw } from './collab-helpers.ts';
import { eventually } from './testing.ts';
import { connectSocket, type Listener } from './realtime-helpers.ts';
import { hashToken } from '../src/services/auth/sessions.ts';

const t = collabSuite();
const baseUrl = () => t.s.wsUrl.replace(/^ws:/, 'http:').replace(/\/yjs$/, '');

/** A fresh member of the fixture project (a coder of nothing: reads the item document). */
async function newMember(label: string): Promise<Session> {
  const s = await signUp(t.s.h, label);
  await addToProject(t.s.h, t.team.members.owner, t.f.projectId, s, 'editor');
  return s;
}

async function wsToken(s: Session): Promise<string> {
  const res = await t.s.h.request(s, 'POST', '/api/auth/ws-token');
  expect(res.status).toBe(201);
  return (await json<{ token: string }>(res)).token;
}

/** An open y-websocket client, a socket.io client by cookie and one by ws-token, all of `s`'s session. */
async function openEverything(s: Session) {
  const doc = t.client(itemDocName(t.f.itemId), { cookie: s.cookie });
  await eventually(() => expect(doc.provider.synced).toBe(true));
  const token = await wsToken(s);
  const sockets: Listener[] = [connectSocket(baseUrl(), { cookie: s.cookie }), connectSocket(baseUrl(), { token })];
  for (const l of sockets) await l.connected;
  return { doc, sockets, token };
}

async function expectAllClosed(open: Awaited<ReturnType<typeof openEverything>>) {
  await eventually(() => expect(open.doc.closes.map((c) => c.code)).toContain(COLLAB_CLOSE_CODES.UNAUTHENTICATED));
  await eventually(() => expect(open.sockets.map((l) => l.socket.connected)).toEqual([false, false]));
  // The token of the ended session no longer connects, to either socket.
  const raw = connectRaw(t.s.wsUrl, itemDocName(t.f.itemId), { token: open.token });
  expect((await raw.closed).code).toBe(COLLAB_CLOSE_CODES.UNAUTHENTICATED);
  expect(raw.received).toEqual([]);
  const again = connectSocket(baseUrl(), { token: open.token });
  await expect(again.connected).rejects.toThrow('UNAUTHENTICATED');
}

describe('finding 3: a session that ends closes its live connections', () => {
  it('logout closes the open y-websocket and socket.io clients of that session and voids its ws-token', async () => {
    const editor = await newMember('logout');
    const open = await openEverything(editor);
    expect((await t.s.h.request(editor, 'POST', '/api/auth/logout')).status).toBe(200);
    await expectAllClosed(open);
  });

  it('a password change ends every session of the account, and the one that changed it goes on with a new cookie', async () => {
    const editor = await newMember('password');
    const other: Session = { ...editor, cookie: await loginCookie(t.s.h, editor.email) };
    const openHere = await openEverything(editor);
    const openThere = await openEverything(other);
    const changed = await t.s.h.request(editor, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(changed.status).toBe(200);
    await expectAllClosed(openThere);
    await expectAllClosed(openHere);
    expect((await t.s.h.request(other, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await t.s.h.request(editor, 'GET', '/api/auth/me')).status).toBe(401);
    const rotated: Session = { ...editor, cookie: changed.headers.get('set-cookie')!.split(';')[0]! };
    expect((await t.s.h.request(rotated, 'GET', '/api/auth/me')).status).toBe(200);
  });

  it('a session ended where no server heard it (the CLI, expiry) closes at the periodic check', async () => {
    const editor = await newMember('cli');
    const open = await openEverything(editor);
    await t.s.h.deps.database.db.delete(sessions).where(eq(sessions.tokenHash, hashToken(editor.cookie.split('=')[1]!)));
    await t.s.server.deps.liveSessions.recheck();
    await expectAllClosed(open);
  });
});

describe('finding 2: an account that must change its password opens nothing live', () => {
  it('refuses /yjs with 4403 before any content and /socket.io with PASSWORD_CHANGE_REQUIRED, until the password is changed', async () => {
    const editor = await newMember('must-change');
    const token = await wsToken(editor);
    await t.s.h.deps.database.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, editor.userId));
    expect((await json<{ error: { code: string } }>(await t.s.h.request(editor, 'GET', `/api/projects/${t.f.projectId}`))).error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await t.s.h.request(editor, 'GET', '/api/auth/me')).status).toBe(200);
    for (const credentials of [{ cookie: editor.cookie }, { token }]) {
      const raw = connectRaw(t.s.wsUrl, itemDocName(t.f.itemId), credentials);
      const closed = await raw.closed;
      expect(closed.code).toBe(COLLAB_CLOSE_CODES.PASSWORD_CHANGE_REQUIRED);
      expect(closed.reason).toContain('PASSWORD_CHANGE_REQUIRED');
      expect(raw.received).toEqual([]);
      const socket = connectSocket(baseUrl(), credentials);
      await expect(socket.connected).rejects.toThrow('PASSWORD_CHANGE_REQUIRED');
    }
    const changed = await t.s.h.request(editor, 'POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a chosen password' });
    expect(changed.status).toBe(200);
    const now: Session = { ...editor, cookie: changed.headers.get('set-cookie')!.split(';')[0]! };
    expect((await t.s.h.request(now, 'GET', `/api/projects/${t.f.projectId}`)).status).toBe(200);
    const open = await openEverything(now);
    expect(open.sockets.every((l) => l.socket.connected)).toBe(true);
    for (const l of open.sockets) l.close();
  });
});
