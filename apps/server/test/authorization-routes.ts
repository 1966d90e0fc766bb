/**
 * The route table of the authorization matrix (authorization.security.test.ts): every project
 * route, the roles that may call it and its success status, the body it is sent, and the state
 * of the fixture project it needs (an archived or revealed item, actors, an attachment, a review
 * round), made by its `setup`. The matrix fails when a documented project route is missing here.
 */
import { ROLES, type Role } from '@concord/shared';
import { actorOf, json, type Harness, type ProjectFixture } from './harness.ts';
import { adjudicate } from '../src/services/adjudications/adjudicate.ts';
import { createRound } from '../src/services/assignments/assignments.ts';
import { createActor } from '../src/services/actors/actors.ts';

export interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI-style template, checked against the document for coverage. */
  template: string;
  allowed: readonly Role[];
  ok: number;
  body?: (f: ProjectFixture) => unknown;
  query?: string;
  contentType?: string;
  /** Brings the fixture to the state the route needs (e.g. a revealed item). */
  setup?: (f: ProjectFixture, h: Harness) => Promise<void>;
}

const ALL = ROLES;
const MANAGERS: Role[] = ['owner', 'methodologist', 'editor'];
const OWNER_EDITOR: Role[] = ['owner', 'editor'];
const OWNER_METHODOLOGIST: Role[] = ['owner', 'methodologist'];

const item = { title: 'New item', platform: 'twitter' };

/** The fixture's item is coded, so deleting it archives it (what restore and purge need). */
async function archiveItem(f: ProjectFixture, h: Harness): Promise<void> {
  const res = await h.request(f.members.editor, 'DELETE', `/api/projects/${f.projectId}/items/${f.itemId}`);
  if (res.status !== 200) throw new Error(`archive failed: ${res.status}`);
}

/** The fixture item's attachment, by project (the `{attachmentId}` of the attachment routes). */
const attachmentOf = new Map<string, string>();

async function attachFile(f: ProjectFixture, h: Harness): Promise<void> {
  const res = await h.request(f.members.editor, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/attachments?name=shot.txt`, 'A saved post', {
    'content-type': 'application/octet-stream',
  });
  if (res.status !== 201) throw new Error(`attach failed: ${res.status} ${await res.text()}`);
  attachmentOf.set(f.projectId, (await json<{ id: string }>(res)).id);
}

export const CASES: RouteCase[] = [
  { method: 'GET', template: '/api/projects/{projectId}', allowed: ALL, ok: 200 },
  { method: 'PATCH', template: '/api/projects/{projectId}', allowed: ['owner'], ok: 200, body: () => ({ name: 'Renamed' }) },
  { method: 'DELETE', template: '/api/projects/{projectId}', allowed: ['owner'], ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/members', allowed: ALL, ok: 200 },
  { method: 'POST', template: '/api/projects/{projectId}/members', allowed: ['owner'], ok: 201, body: () => ({ email: `new-${Math.random()}@test.concord`, role: 'coder' }) },
  { method: 'GET', template: '/api/projects/{projectId}/invitations', allowed: ['owner'], ok: 200 },
  { method: 'DELETE', template: '/api/projects/{projectId}/invitations/{invitationId}', allowed: ['owner'], ok: 200 },
  { method: 'PATCH', template: '/api/projects/{projectId}/members/{userId}', allowed: ['owner'], ok: 200, body: () => ({ role: 'editor' }) },
  { method: 'DELETE', template: '/api/projects/{projectId}/members/{userId}', allowed: ['owner'], ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/codebook', allowed: ALL, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/codebook/versions', allowed: ALL, ok: 200 },
  {
    method: 'PUT',
    template: '/api/projects/{projectId}/codebook',
    allowed: OWNER_METHODOLOGIST,
    ok: 200,
    body: () => ({ name: 'CB', baseVersion: 1, fields: [{ key: 'x', label: 'X', type: 'text' }] }),
  },
  {
    method: 'PUT',
    template: '/api/projects/{projectId}/codebook/fields/{key}',
    allowed: OWNER_METHODOLOGIST,
    ok: 200,
    body: () => ({ baseVersion: 1, field: { key: 'notes', label: 'Notes v2', type: 'text' } }),
  },
  { method: 'DELETE', template: '/api/projects/{projectId}/codebook/fields/{key}', allowed: OWNER_METHODOLOGIST, ok: 200, query: '?baseVersion=1' },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/codebook/import-qdc',
    allowed: OWNER_METHODOLOGIST,
    ok: 200,
    body: () => ({
      xml: '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="Tone" isCodable="false"><Code guid="1b6e7c2e-1f0a-4c3b-9d7e-2a1b3c4d5e6f" name="Hostile" isCodable="true"/></Code></Codes></CodeBook>',
    }),
  },
  { method: 'GET', template: '/api/projects/{projectId}/items', allowed: ALL, ok: 200 },
  { method: 'POST', template: '/api/projects/{projectId}/items', allowed: OWNER_EDITOR, ok: 201, body: () => item },
  { method: 'PATCH', template: '/api/projects/{projectId}/items', allowed: OWNER_EDITOR, ok: 200, body: (f) => ({ itemIds: [f.itemId], set: { language: 'kk' } }) },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}', allowed: ALL, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/versions', allowed: ALL, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/versions/{version}', allowed: ALL, ok: 200 },
  { method: 'PATCH', template: '/api/projects/{projectId}/items/{itemId}', allowed: OWNER_EDITOR, ok: 200, body: () => ({ title: 'Edited' }) },
  { method: 'DELETE', template: '/api/projects/{projectId}/items/{itemId}', allowed: OWNER_EDITOR, ok: 200 },
  { method: 'POST', template: '/api/projects/{projectId}/items/{itemId}/restore', allowed: OWNER_EDITOR, ok: 200, setup: archiveItem },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/items/{itemId}/purge',
    allowed: ['owner'],
    ok: 200,
    body: (f) => ({ confirmItemId: f.itemId }),
    setup: archiveItem,
  },
  { method: 'POST', template: '/api/projects/{projectId}/items/{itemId}/phase', allowed: OWNER_EDITOR, ok: 200, body: () => ({ phase: 'joint' }) },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/import',
    allowed: OWNER_EDITOR,
    ok: 201,
    body: () => 'title,platform\nImported post,facebook\n',
    contentType: 'text/csv',
  },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/import/dry-run',
    allowed: OWNER_EDITOR,
    ok: 200,
    body: () => 'title,platform\nChecked post,facebook\n',
    contentType: 'text/csv',
  },
  { method: 'GET', template: '/api/projects/{projectId}/item-rows', allowed: ALL, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/incidents', allowed: ALL, ok: 200 },
  { method: 'POST', template: '/api/projects/{projectId}/incidents', allowed: OWNER_EDITOR, ok: 201, body: () => ({ name: 'Election' }) },
  { method: 'PATCH', template: '/api/projects/{projectId}/incidents/{incidentId}', allowed: OWNER_EDITOR, ok: 200, body: () => ({ description: 'd' }) },
  { method: 'DELETE', template: '/api/projects/{projectId}/incidents/{incidentId}', allowed: OWNER_EDITOR, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/actors', allowed: ALL, ok: 200 },
  // Coders create actors only on the fly, from the coding form (link-field.test.ts).
  { method: 'POST', template: '/api/projects/{projectId}/actors', allowed: MANAGERS, ok: 201, body: () => ({ name: 'Kazinform', kind: 'outlet' }) },
  { method: 'PATCH', template: '/api/projects/{projectId}/actors/{actorId}', allowed: MANAGERS, ok: 200, body: () => ({ stance: 'neutral' }), setup: withActors },
  { method: 'DELETE', template: '/api/projects/{projectId}/actors/{actorId}', allowed: MANAGERS, ok: 200, setup: withActors },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/actors/{actorId}/merge',
    allowed: MANAGERS,
    ok: 200,
    body: (f) => ({ duplicateId: actorsOf.get(f.projectId)!.duplicate }),
    setup: withActors,
  },
  { method: 'GET', template: '/api/projects/{projectId}/incidents/{incidentId}', allowed: ALL, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/attachments', allowed: ALL, ok: 200 },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/items/{itemId}/attachments',
    allowed: OWNER_EDITOR,
    ok: 201,
    query: '?name=notes.txt',
    body: () => 'Notes on the post',
    contentType: 'application/octet-stream',
  },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/attachments/{attachmentId}', allowed: ALL, ok: 200, setup: attachFile },
  { method: 'DELETE', template: '/api/projects/{projectId}/items/{itemId}/attachments/{attachmentId}', allowed: OWNER_EDITOR, ok: 200, setup: attachFile },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/assignments',
    allowed: MANAGERS,
    ok: 201,
    body: (f) => ({ roundName: 'r2', coderIds: [f.members.owner.userId], mode: { type: 'k', k: 1 }, seed: 3 }),
  },
  { method: 'GET', template: '/api/projects/{projectId}/assignments', allowed: ALL, ok: 200 },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/assignments/preview',
    allowed: MANAGERS,
    ok: 200,
    body: (f) => ({ roundName: 'r2', coderIds: [f.members.owner.userId], mode: { type: 'k', k: 1 }, seed: 3 }),
  },
  { method: 'GET', template: '/api/projects/{projectId}/assignments/workload', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/audit', allowed: ['owner'], ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/audit.csv', allowed: ['owner'], ok: 200 },
  // Everyone reads their own queue; a coder asking for another's is refused (queue.test.ts).
  { method: 'GET', template: '/api/projects/{projectId}/queue', allowed: ALL, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/queue/next', allowed: ALL, ok: 200, setup: assignToEveryone },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/codings', allowed: ALL, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/codings/me', allowed: ALL, ok: 200 },
  // Only the assigned coder may code the item; other roles pass the role check and are refused as unassigned (403).
  { method: 'PUT', template: '/api/projects/{projectId}/items/{itemId}/codings/me', allowed: ['coder'], ok: 200, body: () => ({ values: { impact: 1 } }) },
  { method: 'POST', template: '/api/projects/{projectId}/items/{itemId}/codings/me/submit', allowed: ['coder'], ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/export/codings.csv', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/reliability', allowed: MANAGERS, ok: 200, query: '?bootstrap=10' },
  { method: 'GET', template: '/api/projects/{projectId}/reliability/fields/{fieldKey}', allowed: MANAGERS, ok: 200, query: '?bootstrap=10' },
  { method: 'GET', template: '/api/projects/{projectId}/reliability/spans', allowed: MANAGERS, ok: 200, query: '?bootstrap=10' },
  // Planning costs CPU and designs rounds: the methodologist's and the owner's (reliability-plan.test.ts).
  {
    method: 'POST',
    template: '/api/projects/{projectId}/reliability/plan',
    allowed: OWNER_METHODOLOGIST,
    ok: 200,
    body: () => ({ field: 'impact', source: { type: 'expected', alpha: 0.9 }, target: 0.5, probability: 0.5, maxCoders: 2, minItems: 10, maxItems: 20, simulations: 20, replicates: 100 }),
  },
  { method: 'GET', template: '/api/projects/{projectId}/export/spans.csv', allowed: MANAGERS, ok: 200 },
  // Coders pass and see only their own items' disagreements (disagreements.security.test.ts).
  { method: 'GET', template: '/api/projects/{projectId}/disagreements', allowed: ALL, ok: 200 },
  // The fixture's coder codes the item, so once it is revealed every role may read the disagreement.
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/disagreements/{fieldKey}', allowed: ALL, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/adjudications', allowed: MANAGERS, ok: 200 },
  // Once revealed, managers and the item's coder (the fixture's coder) read its decisions (joint-session.test.ts).
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/adjudications', allowed: ALL, ok: 200, setup: reveal },
  // The same readers for what a production round's joint session revised (joint-revisions.test.ts).
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/revisions', allowed: ALL, ok: 200, setup: reveal },
  {
    method: 'PUT',
    template: '/api/projects/{projectId}/items/{itemId}/adjudications/{fieldKey}',
    allowed: OWNER_EDITOR,
    ok: 200,
    body: () => ({ value: -1, rationale: 'consensus after discussion' }),
    setup: reveal,
  },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/items/{itemId}/adjudications/{fieldKey}/reopen',
    allowed: OWNER_EDITOR,
    ok: 200,
    setup: async (f, h) => {
      await reveal(f, h);
      await adjudicate({ ctx: h.ctx(actorOf(f.members.owner)), projectId: f.projectId, itemId: f.itemId, fieldKey: 'impact', input: { value: -2, rationale: 'as coded' } });
    },
  },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/items/{itemId}/codings/{coderId}/reopen',
    allowed: OWNER_EDITOR,
    ok: 200,
    body: () => ({ reason: 'she asked to fix a value' }),
    setup: reveal,
  },
  // The fixture's item has one coder: once she submitted, it is reviewed like a review round's item.
  { method: 'GET', template: '/api/projects/{projectId}/review', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/review/rounds', allowed: MANAGERS, ok: 200, setup: reviewRound },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/review', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'PUT', template: '/api/projects/{projectId}/items/{itemId}/review/{fieldKey}', allowed: OWNER_EDITOR, ok: 200, body: () => ({ action: 'accept' }), setup: reveal },
  {
    method: 'POST',
    template: '/api/projects/{projectId}/rounds/{roundId}/sample',
    allowed: MANAGERS,
    ok: 200,
    body: (f) => ({ share: 1, coderIds: [f.members.editor.userId] }),
    setup: reviewRound,
  },
  { method: 'GET', template: '/api/projects/{projectId}/export/gold.csv', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/export/irr.csv', allowed: MANAGERS, ok: 200, query: '?field=impact' },
  { method: 'GET', template: '/api/projects/{projectId}/export/krippendorffsalpha.csv', allowed: MANAGERS, ok: 200, query: '?field=impact' },
  { method: 'GET', template: '/api/projects/{projectId}/export/tidycomm.csv', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/export/spss-kalpha.csv', allowed: MANAGERS, ok: 200, query: '?field=impact' },
  { method: 'GET', template: '/api/projects/{projectId}/export/spss-kalpha.sps', allowed: MANAGERS, ok: 200, query: '?field=impact' },
  { method: 'GET', template: '/api/projects/{projectId}/export/codebook.json', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/export/codebook.csv', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/export/codebook.qdc', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/export/discussion.csv', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/export/discussion.json', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/export/final.csv', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/export/final.json', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/export/final.xlsx', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/export/codings.xlsx', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/export/items.csv', allowed: MANAGERS, ok: 200 },
  { method: 'GET', template: '/api/projects/{projectId}/export/coder-key.csv', allowed: ['owner'], ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/report', allowed: MANAGERS, ok: 200, query: '?bootstrap=10', setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/workbench', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/workbench.md', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/workbench.csv', allowed: MANAGERS, ok: 200, setup: reveal },
  // The fixture's codebook has a hierarchical single-choice "frame" field: the frames charts' default.
  { method: 'GET', template: '/api/projects/{projectId}/charts/{chart}', allowed: MANAGERS, ok: 200, setup: reveal },
  { method: 'POST', template: '/api/projects/{projectId}/gold', allowed: MANAGERS, ok: 200, body: (f) => ({ rows: [{ item_id: f.itemId, field: 'impact', value: -1 }] }) },
  { method: 'GET', template: '/api/projects/{projectId}/calibration', allowed: MANAGERS, ok: 200 },
  // Feedback is the item's coder's, after her submission; other roles code nothing here (403).
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/calibration', allowed: ['coder'], ok: 200, setup: reveal },
  { method: 'GET', template: '/api/projects/{projectId}/items/{itemId}/comments', allowed: ALL, ok: 200 },
  { method: 'POST', template: '/api/projects/{projectId}/items/{itemId}/comments', allowed: ALL, ok: 201, body: () => ({ body: 'Is this satire?', fieldKey: 'frame' }) },
];

/** Every role gets the fixture's item in its queue, so each has a next item. */
async function assignToEveryone(f: ProjectFixture, h: Harness) {
  const everyone = ROLES.map((r) => f.members[r].userId);
  await createRound({ ctx: h.ctx(actorOf(f.members.owner)), projectId: f.projectId, input: { roundName: 'all', coderIds: everyone, itemIds: [f.itemId], mode: { type: 'k', k: everyone.length }, seed: 1 } });
}

/** Two actors in the fixture's project: the one the route names and a duplicate to merge into it. */
const actorsOf = new Map<string, { kept: string; duplicate: string }>();
async function withActors(f: ProjectFixture, h: Harness) {
  const ctx = h.ctx(actorOf(f.members.owner));
  const kept = await createActor({ ctx, projectId: f.projectId, input: { name: 'Akorda' } });
  const duplicate = await createActor({ ctx, projectId: f.projectId, input: { name: 'Ak Orda' } });
  actorsOf.set(f.projectId, { kept: kept.id, duplicate: duplicate.id });
}

/** A review round of the fixture's item, coded by the owner (the round sample's case). */
const reviewRoundOf = new Map<string, string>();
async function reviewRound(f: ProjectFixture, h: Harness) {
  const ctx = h.ctx(actorOf(f.members.owner));
  const r = await createRound({ ctx, projectId: f.projectId, input: { roundName: 'review', type: 'review', coderIds: [f.members.owner.userId], itemIds: [f.itemId], mode: { type: 'k', k: 1 }, seed: 1 } });
  reviewRoundOf.set(f.projectId, r.roundId);
}

/** The fixture's only coder submits, which reveals the item. */
async function reveal(f: ProjectFixture, h: Harness) {
  const res = await h.request(f.members.coder, 'POST', `/api/projects/${f.projectId}/items/${f.itemId}/codings/me/submit`);
  if (res.status !== 200) throw new Error(`submit failed: ${res.status} ${await res.text()}`);
}

/** The route's path for fixture `f` (its ids, and the invitation the test made in it), with the case's query. */
export function pathOf(c: RouteCase, f: ProjectFixture, invitationId = 'none') {
  return (
    c.template
      .replace('{projectId}', f.projectId)
      .replace('{itemId}', f.itemId)
      .replace('{incidentId}', f.incidentId)
      .replace('{actorId}', actorsOf.get(f.projectId)?.kept ?? 'act_aaaaaaaaaaaaaaaa')
      .replace('{userId}', f.members.coder.userId)
      .replace('{coderId}', f.members.coder.userId)
      .replace('{roundId}', reviewRoundOf.get(f.projectId) ?? 'round_none')
      .replace('{invitationId}', invitationId)
      .replace('{attachmentId}', attachmentOf.get(f.projectId) ?? 'none')
      .replace('{fieldKey}', 'impact')
      .replace('{key}', 'notes')
      .replace('{version}', '1')
      .replace('{chart}', 'parent-frames.svg') + (c.query ?? '')
  );
}
