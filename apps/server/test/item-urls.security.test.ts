/**
 * Issue 11, finding 6: an item's link is http(s) or nothing. The create and update routes
 * used to accept any URL scheme (`javascript:`, `data:`), which the web rendered as a link;
 * the import already took http(s) only. Both now use `httpUrlSchema` from @concord/shared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Item, Role } from '@concord/shared';
import { createProjectFixture, createTeamHarness, json, type Harness, type ProjectFixture, type Session } from './harness.ts';

let h: Harness;
let members: Record<Role, Session>;
let f: ProjectFixture;

beforeAll(async () => {
  ({ h, members } = await createTeamHarness());
  f = await createProjectFixture(h, members);
});
afterAll(() => h.close());

const HOSTILE = [
  'javascript:alert(1)',
  'JAVASCRIPT:alert(document.cookie)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'ftp://example.org/x',
];

describe('item URLs', () => {
  it('refuses every scheme but http(s) on create, with the error body', async () => {
    for (const url of HOSTILE) {
      const res = await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/items`, { title: 'hostile link', url });
      expect(res.status, url).toBe(400);
      const body = await json<ErrorBody>(res);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details?.[0]?.path).toEqual(['url']);
    }
  });

  it('refuses them on update and leaves the stored link alone', async () => {
    const path = `/api/projects/${f.projectId}/items/${f.itemId}`;
    const set = await h.request(members.editor, 'PATCH', path, { url: 'https://example.org/original' });
    expect(set.status, await set.clone().text()).toBe(200);
    for (const url of HOSTILE) {
      const res = await h.request(members.editor, 'PATCH', path, { url });
      expect(res.status, url).toBe(400);
      expect((await json<ErrorBody>(res)).error.details?.[0]?.path).toEqual(['url']);
    }
    expect((await json<Item>(await h.request(members.coder, 'GET', path))).url).toBe('https://example.org/original');
  });

  it('accepts http and https', async () => {
    for (const url of ['http://example.org/a?b=c#d', 'https://t.me/channel/123', 'HTTPS://EXAMPLE.ORG/Upper']) {
      const res = await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/items`, { title: 'fine link', url });
      expect(res.status, await res.clone().text()).toBe(201);
      expect((await json<Item>(res)).url).toBe(url);
    }
  });

  it('gives the import the same rule', async () => {
    for (const url of HOSTILE) {
      const csv = `title,url\nimported,"${url.replaceAll('"', '""')}"\n`;
      const res = await h.request(members.editor, 'POST', `/api/projects/${f.projectId}/import`, csv, { 'content-type': 'text/csv' });
      expect(res.status, url).toBe(400);
      expect((await json<ErrorBody>(res)).error.details?.[0]).toMatchObject({ row: 1, column: 'url' });
    }
  });
});
