/**
 * Data written through the API survives the server process: a graceful stop (SIGTERM)
 * and a crash (SIGKILL), each followed by a start on the same PGlite data directory.
 */
import { createApiClient, type ApiClient } from '@concord/server/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server.ts';
import { loginCookie } from '../helpers/sessions.ts';

const OWNER = { email: 'owner@restart.test', name: 'Restart Owner', password: 'restart-test-password' };

/** A typed client that sends the owner's session cookie. */
async function signIn(url: string): Promise<ApiClient> {
  return createApiClient(url, { headers: { cookie: await loginCookie(url, OWNER.email, OWNER.password) } });
}

describe('persistence across server restarts', () => {
  let server: ServerProcess;
  let projectId: string;
  let itemId: string;

  beforeAll(async () => {
    server = await startServerProcess({ env: { CONCORD_DEMO: '0' } });
  });

  afterAll(async () => {
    await server?.dispose();
  });

  async function expectDataPresent() {
    const client = await signIn(server.url);
    const project = await client.api.projects[':projectId'].$get({ param: { projectId } });
    if (!project.ok) throw new Error(`project: ${project.status}`);
    expect(await project.json()).toMatchObject({ id: projectId, name: 'Persistence check', itemCount: 1 });

    const items = await client.api.projects[':projectId'].items.$get({ param: { projectId }, query: {} });
    if (!items.ok) throw new Error(`items: ${items.status}`);
    const body = await items.json();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({ id: itemId, title: 'Survives restarts', platform: 'telegram', publishedAt: '2022-01-05T00:00:00.000Z' });
  }

  it('creates the first owner, a project and an item through the API', async () => {
    const anonymous = createApiClient(server.url);
    const setup = await anonymous.api.auth.setup.$post({ json: OWNER });
    expect(setup.status).toBe(201);

    const client = await signIn(server.url);
    const project = await client.api.projects.$post({ json: { name: 'Persistence check', description: '' } });
    if (!project.ok) throw new Error(`create project: ${project.status} ${await project.text()}`);
    projectId = (await project.json()).id;

    const item = await client.api.projects[':projectId'].items.$post({
      param: { projectId },
      json: { title: 'Survives restarts', platform: 'telegram', publishedAt: '2022-01-05', body: 'text' },
    });
    if (!item.ok) throw new Error(`create item: ${item.status} ${await item.text()}`);
    itemId = (await item.json()).id;
    await expectDataPresent();
  });

  it('keeps them after a graceful stop (SIGTERM)', async () => {
    await expect(server.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
    server = await server.restart();
    await expectDataPresent();
  });

  it('keeps them after a crash (SIGKILL)', async () => {
    await expect(server.stop('SIGKILL')).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    server = await server.restart();
    await expectDataPresent();
  });
});
