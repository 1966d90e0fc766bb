/**
 * Revised codings (issue 13, item 4): ending a production round's joint session turns the
 * joint layer (`joint:<item>`) into revised codings, stored beside the blind codings (which,
 * and reliability, stay as they were), audited, and in the final dataset as `revised` unless a
 * decision was recorded. A reliability round's session revises nothing. Readers: managers and
 * the item's coders once the item is out of independence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { auditLog, codings, pendingRevisions, revisedCodings } from '@concord/db';
import { JOINT_DOC, jointDocName, type AuditPage, type ErrorBody, type FinalDataset, type Item, type ReliabilityReport, type RevisedCoding } from '@concord/shared';
import type { Peer } from '../src/collab/peer.ts';
import { encodeUpdate } from '../src/collab/protocol.ts';
import { resolveDocAccess } from '../src/services/collab/access.ts';
import { setItemPhase } from '../src/services/items/set-item-phase.ts';
import { finishPendingRevisions } from '../src/services/revisions/pending-revisions.ts';
import { actorOf, addItem, addToProject, assignRound, codeItem, json, signUp, type Session } from './harness.ts';
import { collabSuite, type Client } from './collab-helpers.ts';
import { eventually } from './testing.ts';

const t = collabSuite();
/** An item of a reliability round, coded by the same two coders. */
let reliabilityItem: string;
/** A coder of the project whose own item is still coded blind. */
let otherCoder: Session;

beforeAll(async () => {
  const { owner } = t.team.members;
  reliabilityItem = await addItem(t.s.h, owner, t.f.projectId, { title: 'A post in the reliability sample' });
  await assignRound(t.s.h, owner, t.f.projectId, [reliabilityItem], [t.team.members.coder, t.team.coderB], { roundName: 'sample', type: 'reliability' });
  otherCoder = await signUp(t.s.h, 'otherCoder');
  await addToProject(t.s.h, owner, t.f.projectId, otherCoder, 'coder');
  const blindItem = await addItem(t.s.h, owner, t.f.projectId, { title: 'Still coded blind' });
  await assignRound(t.s.h, owner, t.f.projectId, [blindItem], [otherCoder], { roundName: 'other' });
});

const project = () => `/api/projects/${t.f.projectId}`;
const item = (itemId: string) => `${project()}/items/${itemId}`;
const setPhase = async (itemId: string, phase: string) => {
  const res = await t.s.h.request(t.team.members.editor, 'POST', `${item(itemId)}/phase`, { phase });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<Item>(res);
};
const revisions = (itemId: string, who: Session) => t.s.h.request(who, 'GET', `${item(itemId)}/revisions`);
const finalValues = async (itemId: string) => {
  const data = await json<FinalDataset>(await t.s.h.request(t.team.members.editor, 'GET', `${project()}/export/final.json`));
  return data.items.find((i) => i.id === itemId)!.values;
};
const reliability = async () => json<ReliabilityReport>(await t.s.h.request(t.team.members.methodologist, 'GET', `${project()}/reliability?bootstrap=0`));
const blindRows = (itemId: string) =>
  t.s.h.deps.database.db
    .select({ coderId: codings.coderId, fieldKey: codings.fieldKey, value: codings.value, status: codings.status, blind: codings.blind })
    .from(codings)
    .where(eq(codings.itemId, itemId))
    .orderBy(asc(codings.coderId), asc(codings.fieldKey));
const revisionAudit = (itemId: string) =>
  t.s.h.deps.database.db
    .select({ actorId: auditLog.actorId, entityId: auditLog.entityId, action: auditLog.action, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'revision'), inArray(auditLog.entityId, ['frame', 'impact', 'notes'].map((k) => `${itemId}:${k}`))))
    .orderBy(asc(auditLog.entityId)); // ids are random; one entry per field

/** Both coders submit different values blind: the last submit reveals the item. */
async function codeBlind(itemId: string) {
  await codeItem(t.s.h, t.f.projectId, itemId, t.team.members.coder, { frame: 'security', impact: 1 });
  await codeItem(t.s.h, t.f.projectId, itemId, t.team.coderB, { frame: 'leader', impact: -1 });
}

/** The two coders agree live in the joint layer: frame `leader` (coder), impact 0 (coderB). */
async function agreeLive(itemId: string): Promise<Client[]> {
  const a = t.client(jointDocName(itemId), { cookie: t.team.members.coder.cookie });
  const b = t.client(jointDocName(itemId), { cookie: t.team.coderB.cookie });
  a.doc.getMap(JOINT_DOC.values).set('frame', 'leader');
  b.doc.getMap(JOINT_DOC.values).set('impact', 0);
  await eventually(() => {
    for (const c of [a, b]) expect(c.doc.getMap(JOINT_DOC.values).toJSON()).toEqual({ frame: 'leader', impact: 0 });
  });
  return [a, b];
}

describe('ending a joint session', () => {
  it('in a production round: the joint values become revised codings, audited, final as `revised`; blind codings and reliability unchanged', async () => {
    const itemId = t.f.itemId;
    await codeBlind(itemId);
    const blind = await blindRows(itemId);
    const before = await reliability();
    // The item counts in reliability (both codings blind), so "unchanged" says something.
    expect(before.fields.find((f) => f.key === 'impact')).toMatchObject({ n_units: 1, n_pairable: 2, excluded_not_blind: 0 });
    expect((await finalValues(itemId)).frame).toEqual({ value: null, provenance: 'open' });

    expect((await setPhase(itemId, 'joint')).phase).toBe('joint');
    // Nothing is revised while the session is open.
    expect(await json<RevisedCoding[]>(await revisions(itemId, t.team.members.coder))).toEqual([]);
    const [a] = await agreeLive(itemId);
    // A change sent as the session ends: whatever the server took before the end is revised.
    a!.doc.getMap(JOINT_DOC.values).set('notes', 'agreed in the session');
    expect((await setPhase(itemId, 'revealed')).phase).toBe('revealed');

    const read = await revisions(itemId, t.team.members.coder);
    expect(read.status).toBe(200);
    const revised = await json<RevisedCoding[]>(read);
    const kept = t.client(jointDocName(itemId), { cookie: t.team.members.owner.cookie });
    await eventually(() => expect(kept.provider.synced).toBe(true));
    // The revised codings are the joint layer as it ended, no more and no less.
    expect(Object.fromEntries(revised.map((r) => [r.fieldKey, r.value]))).toEqual(kept.doc.getMap(JOINT_DOC.values).toJSON());
    expect(revised.filter((r) => r.fieldKey !== 'notes').map((r) => [r.fieldKey, r.value, r.revisedBy])).toEqual([
      ['frame', 'leader', t.team.members.editor.userId],
      ['impact', 0, t.team.members.editor.userId],
    ]);
    for (const r of revised) expect(r).toMatchObject({ itemId, codebookVersion: 1, jointVersion: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    expect((await json<RevisedCoding[]>(await revisions(itemId, t.team.members.methodologist))).length).toBe(revised.length);

    const audited = await revisionAudit(itemId);
    expect(audited.filter((e) => e.entityId !== `${itemId}:notes`).map((e) => [e.actorId, e.entityId, e.action, (e.after as { value: unknown }).value])).toEqual([
      [t.team.members.editor.userId, `${itemId}:frame`, 'create', 'leader'],
      [t.team.members.editor.userId, `${itemId}:impact`, 'create', 0],
    ]);

    const final = await finalValues(itemId);
    expect([final.frame, final.impact]).toEqual([{ value: 'leader', provenance: 'revised' }, { value: 0, provenance: 'revised' }]);
    const csv = await (await t.s.h.request(t.team.members.editor, 'GET', `${project()}/export/final.csv`)).text();
    const [header, ...rows] = csv.trim().split(/\r?\n/).map((l) => l.split(','));
    const row = rows.find((r) => r[0] === itemId)!;
    expect([row[header!.indexOf('frame')], row[header!.indexOf('frame_provenance')]]).toEqual(['leader', 'revised']);

    // The blind layer and reliability (blind codings only) are exactly as before the session.
    expect(await blindRows(itemId)).toEqual(blind);
    expect(await reliability()).toEqual(before);
  });

  it('a decision still wins over a revised value', async () => {
    const decided = await t.s.h.request(t.team.members.editor, 'PUT', `${item(t.f.itemId)}/adjudications/impact`, { value: 2, rationale: 'decided after the session' });
    expect(decided.status, await decided.clone().text()).toBe(200);
    const final = await finalValues(t.f.itemId);
    expect([final.frame, final.impact]).toEqual([{ value: 'leader', provenance: 'revised' }, { value: 2, provenance: 'decided' }]);
  });

  it('are read by managers and the item\'s coders only, and by nobody once the item is coded blind again', async () => {
    const refused = await revisions(t.f.itemId, otherCoder);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await json<ErrorBody>(refused))).not.toContain('leader');
    expect((await revisions(t.f.itemId, t.team.outsider)).status).toBe(404);
    const audited = async () => {
      const page = await json<AuditPage>(await t.s.h.request(t.team.members.owner, 'GET', `${project()}/audit?entity=revision`));
      return page.entries.filter((e) => e.entityId === `${t.f.itemId}:frame`).map((e) => [e.redacted, (e.after as { value?: unknown }).value]);
    };
    expect(await audited()).toEqual([[false, 'leader']]);
    await setPhase(t.f.itemId, 'independent');
    for (const who of [t.team.members.coder, t.team.members.owner]) {
      const res = await revisions(t.f.itemId, who);
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('FORBIDDEN');
    }
    // The audit keeps the entry, without the value, while the item is coded blind (SECURITY.md, rule 10).
    expect(await audited()).toEqual([[true, undefined]]);
  });

  it('in a reliability round: revises nothing (the session ends with the editor\'s decisions only)', async () => {
    await codeBlind(reliabilityItem);
    await setPhase(reliabilityItem, 'joint');
    await agreeLive(reliabilityItem);
    await setPhase(reliabilityItem, 'revealed');
    expect(await json<RevisedCoding[]>(await revisions(reliabilityItem, t.team.members.editor))).toEqual([]);
    expect(await t.s.h.deps.database.db.select().from(revisedCodings).where(eq(revisedCodings.itemId, reliabilityItem))).toEqual([]);
    expect(await revisionAudit(reliabilityItem)).toEqual([]);
    const final = await finalValues(reliabilityItem);
    expect([final.frame, final.impact]).toEqual([{ value: null, provenance: 'open' }, { value: null, provenance: 'open' }]);
  });
});

describe('the end of a session', () => {
  it('waits for every change the server took before: when the access change resolves, they are stored', async () => {
    const { owner, coder } = t.team.members;
    const itemId = await addItem(t.s.h, owner, t.f.projectId, { title: 'Typed into as the session ended' });
    await assignRound(t.s.h, owner, t.f.projectId, [itemId], [coder], { roundName: 'late' });
    await setPhase(itemId, 'joint');
    const rooms = t.s.server.deps.collab;
    const name = jointDocName(itemId);
    const lease = await rooms.acquire(name, { kind: 'joint', itemId });
    const access = await resolveDocAccess({ ctx: t.s.h.ctx(actorOf(coder)), name });
    // Two connections as the room sees them: one writes, the other is sent what is stored.
    const peer = (sent: Uint8Array[]): Peer & { start(): void } => ({ actor: actorOf(coder), access, clientIds: new Set(), closed: false, send: (m) => sent.push(m), sendFrames: (f, from, to) => sent.push(...f.messages.slice(from, to)), close() {}, start() {} });
    const relayed: Uint8Array[] = [];
    const [writer, listener] = [peer([]), peer(relayed)];
    try {
      lease.room.join(writer);
      lease.room.join(listener);
      const change = new Y.Doc();
      change.getMap(JOINT_DOC.values).set('notes', 'typed as the session ended');
      const update = Y.encodeStateAsUpdate(change);
      lease.room.applyClientUpdate(writer, update);
      await rooms.itemAccessChanged(itemId);
      // A room relays a change only once it is committed (INTERNALS.md, Durability before relay).
      const relay = Buffer.from(encodeUpdate(update));
      expect(relayed.some((m) => relay.equals(Buffer.from(m)))).toBe(true);
    } finally {
      lease.room.leave(writer);
      lease.room.leave(listener);
      lease.release();
    }
  });
});

describe('a process that dies as a session ends', () => {
  const pendingMarks = (itemId: string) => t.s.h.deps.database.db.select().from(pendingRevisions).where(eq(pendingRevisions.itemId, itemId));
  const revisedRows = (itemId: string) => t.s.h.deps.database.db.select().from(revisedCodings).where(eq(revisedCodings.itemId, itemId)).orderBy(asc(revisedCodings.fieldKey));

  it('between the phase change and the revisions: the phase change left a mark, and the next start writes the revisions once, as the editor', async () => {
    const { owner, editor, coder } = t.team.members;
    const itemId = await addItem(t.s.h, owner, t.f.projectId, { title: 'Its session ended as the server died' });
    await assignRound(t.s.h, owner, t.f.projectId, [itemId], [coder, t.team.coderB], { roundName: 'production, crash' });
    await codeBlind(itemId);
    await setPhase(itemId, 'joint');
    await agreeLive(itemId);
    // The process "dies" right after the phase change's transaction commits: waiting for the
    // live changes to be stored is the next step, and it never returns.
    const rooms = t.s.server.deps.collab;
    const dying = { ...t.s.h.ctx(actorOf(editor)), collab: { ...rooms, itemAccessChanged: () => Promise.reject(new Error('the process died')) } };
    await expect(setItemPhase({ ctx: dying, projectId: t.f.projectId, itemId, phase: 'revealed' })).rejects.toThrow('the process died');

    // The crash window: the session is over, the mark is there, no revision was written.
    expect((await json<Item>(await t.s.h.request(editor, 'GET', item(itemId)))).phase).toBe('revealed');
    expect((await pendingMarks(itemId)).map((m) => [m.projectId, m.endedBy])).toEqual([[t.f.projectId, editor.userId]]);
    expect(await revisedRows(itemId)).toEqual([]);
    expect(await revisionAudit(itemId)).toEqual([]);

    await t.restart();
    const revised = await revisedRows(itemId);
    expect(revised.map((r) => [r.fieldKey, r.value, r.revisedBy])).toEqual([
      ['frame', 'leader', editor.userId],
      ['impact', 0, editor.userId],
    ]);
    const audited = await revisionAudit(itemId);
    expect(audited.map((e) => [e.actorId, e.entityId, e.action])).toEqual([
      [editor.userId, `${itemId}:frame`, 'create'],
      [editor.userId, `${itemId}:impact`, 'create'],
    ]);
    expect(await pendingMarks(itemId)).toEqual([]);
    const final = await finalValues(itemId);
    expect([final.frame, final.impact]).toEqual([{ value: 'leader', provenance: 'revised' }, { value: 0, provenance: 'revised' }]);

    // Exactly once: another start, and two more runs at once (processes starting together), change nothing.
    await t.restart();
    const again = await Promise.all([0, 1].map(() => finishPendingRevisions({ ctx: t.s.h.ctx(null) })));
    expect(again).toEqual([{ finished: [] }, { finished: [] }]);
    expect(await revisedRows(itemId)).toEqual(revised);
    expect(await revisionAudit(itemId)).toEqual(audited);
  });

  it('two finishers of one ended session write its revisions once', async () => {
    const { owner, editor, coder } = t.team.members;
    const itemId = await addItem(t.s.h, owner, t.f.projectId, { title: 'Finished by two processes' });
    await assignRound(t.s.h, owner, t.f.projectId, [itemId], [coder, t.team.coderB], { roundName: 'production, twice' });
    await codeBlind(itemId);
    await setPhase(itemId, 'joint');
    await agreeLive(itemId);
    const rooms = t.s.server.deps.collab;
    const dying = { ...t.s.h.ctx(actorOf(editor)), collab: { ...rooms, itemAccessChanged: () => Promise.reject(new Error('the process died')) } };
    await expect(setItemPhase({ ctx: dying, projectId: t.f.projectId, itemId, phase: 'revealed' })).rejects.toThrow('the process died');
    await rooms.itemAccessChanged(itemId);
    const runs = await Promise.all([0, 1].map(() => finishPendingRevisions({ ctx: { ...t.s.h.ctx(null), collab: rooms } })));
    // Both saw the mark; the row lock lets one write and the other find it gone.
    expect(runs.map((r) => r.finished.includes(itemId))).toEqual([true, true]);
    expect((await revisionAudit(itemId)).map((e) => [e.entityId, e.action])).toEqual([
      [`${itemId}:frame`, 'create'],
      [`${itemId}:impact`, 'create'],
    ]);
    expect(await pendingMarks(itemId)).toEqual([]);
  });

  it('an item back in a joint session keeps its mark until that session ends, which writes the revisions and clears it', async () => {
    const { owner, editor, coder } = t.team.members;
    const itemId = await addItem(t.s.h, owner, t.f.projectId, { title: 'Reopened before the restart' });
    await assignRound(t.s.h, owner, t.f.projectId, [itemId], [coder, t.team.coderB], { roundName: 'production, reopened' });
    await codeBlind(itemId);
    await setPhase(itemId, 'joint');
    const rooms = t.s.server.deps.collab;
    const dying = { ...t.s.h.ctx(actorOf(editor)), collab: { ...rooms, itemAccessChanged: () => Promise.reject(new Error('the process died')) } };
    await expect(setItemPhase({ ctx: dying, projectId: t.f.projectId, itemId, phase: 'revealed' })).rejects.toThrow('the process died');
    await setPhase(itemId, 'joint');
    expect((await finishPendingRevisions({ ctx: t.s.h.ctx(null) })).finished).not.toContain(itemId);
    expect(await pendingMarks(itemId)).toHaveLength(1);
    await agreeLive(itemId);
    await setPhase(itemId, 'revealed');
    expect((await revisedRows(itemId)).map((r) => [r.fieldKey, r.value])).toEqual([['frame', 'leader'], ['impact', 0]]);
    expect(await pendingMarks(itemId)).toEqual([]);
  });
});
