/**
 * Test harness: a real database (PGlite in memory, or a fresh PostgreSQL database
 * when TEST_DATABASE_URL is set), the real migrations, the real app. Each test file
 * gets its own database; tests inside a file create uniquely named data.
 */
import { createTestDb, type TestDatabase } from '@concord/db/testing';
import { newId, ROLES, type CodebookInput, type Role } from '@concord/shared';
import { createApp, type App } from '../src/app.ts';
import { testConfig, type Config } from '../src/config.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import type { Actor, ServiceContext } from '../src/services/context.ts';
import { insertUser } from '../src/services/auth/users.ts';
import { DEMO_ACCOUNTS } from '../src/demo/accounts.ts';
import { createProject } from '../src/services/projects/projects.ts';
import { addMember } from '../src/services/projects/members.ts';
import { replaceCodebook } from '../src/services/codebook/codebook.ts';
import { createIncident } from '../src/services/items/incidents.ts';
import { createItem } from '../src/services/items/items.ts';
import { createRound } from '../src/services/assignments/assignments.ts';

export const PASSWORD = 'correct horse battery';

export interface Harness {
  app: App;
  deps: Deps;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
  /** A request as a signed-in user (cookie) or anonymously (null). */
  request(session: Session | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  ctx(actor: Actor | null): ServiceContext;
}

export interface Session {
  userId: string;
  email: string;
  cookie: string;
}

/** `options.logger`: log somewhere a test can read (the default follows the config's level). */
export async function createHarness(overrides: Partial<Config> = {}, options: { logger?: Logger } = {}): Promise<Harness> {
  const database = await createTestDb();
  const config = testConfig(overrides);
  const logger = options.logger ?? createLogger(config);
  const deps = await createDeps(config, { database, logger });
  const app = createApp(deps);
  return {
    app,
    deps,
    database,
    config,
    close: () => deps.close(),
    request: requestVia(app),
    ctx: (actor) => ({ db: deps.database.db, actor, logger }),
  };
}

/**
 * `Harness.request` on an app: the session's cookie, and a body sent as JSON (with its content
 * type), or as given when it is a string (the test names the content type).
 */
export function requestVia(app: App): Harness['request'] {
  return async (session, method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (session) (init.headers as Record<string, string>).cookie = session.cookie;
    if (body !== undefined) {
      if (typeof body === 'string') init.body = body;
      else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
    }
    return app.request(path, init);
  };
}

let counter = 0;
export const uniqueEmail = (label: string) => `${label.toLowerCase()}-${Date.now().toString(36)}-${(counter++).toString(36)}@test.concord`;

/** Creates a user and signs them in through the real login route. */
export async function signUp(h: Harness, label: string, options: { isAdmin?: boolean } = {}): Promise<Session> {
  const email = uniqueEmail(label);
  const user = await insertUser(h.ctx(null), { email, name: label, password: PASSWORD, isAdmin: options.isAdmin ?? false });
  return { userId: user.id, email, cookie: await loginCookie(h, email) };
}

/** Signs in through the real login route: the session cookie (`name=value`), or a throw with the answer. */
export async function loginCookie(h: Pick<Harness, 'request'>, email: string, password = PASSWORD): Promise<string> {
  const res = await h.request(null, 'POST', '/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Every demo account (seeded with `password`) signed in, by its local part (`coder1`); `userId` is left empty. */
export async function signInDemoAccounts(h: Harness, password: string): Promise<Record<string, Session>> {
  const sessions: Record<string, Session> = {};
  for (const a of DEMO_ACCOUNTS) sessions[a.email.split('@')[0]!] = { userId: '', email: a.email, cookie: await loginCookie(h, a.email, password) };
  return sessions;
}

/** One signed-in user per project role, for fixtures. */
export async function signUpTeam(h: Harness): Promise<Record<Role, Session>> {
  const [owner, methodologist, editor, coder] = await Promise.all(ROLES.map((r) => signUp(h, r)));
  return { owner: owner!, methodologist: methodologist!, editor: editor!, coder: coder! };
}

export const actorOf = (s: Session): Actor => ({ userId: s.userId, isAdmin: false });

/** Makes an existing account a member at once (the API only invites: invitations.security.test.ts). */
export const addToProject = (h: Harness, owner: Session, projectId: string, member: Session, role: Role) =>
  addMember(h.ctx(actorOf(owner)), projectId, { email: member.email, role });

export const SMALL_CODEBOOK: CodebookInput = {
  name: 'Test codebook',
  fields: [
    {
      key: 'frame',
      label: 'Frame',
      help: '',
      type: 'single_choice',
      required: true,
      allowNa: true,
      options: [
        { value: 'security', label: 'Security', parent: null, help: '' },
        { value: 'protesters_terrorists', label: 'Protesters are terrorists', parent: 'security', help: '' },
        { value: 'leader', label: 'Best leader', parent: null, help: '' },
      ],
    },
    {
      key: 'impact',
      label: 'Civic impact',
      help: '',
      type: 'ordinal',
      required: true,
      allowNa: false,
      scale: [-3, -2, -1, 0, 1, 2, 3].map((value) => ({ value, label: String(value) })),
    },
    { key: 'notes', label: 'Notes', help: '', type: 'text', required: false, allowNa: false, maxLength: 1000 },
  ],
};

export interface ProjectFixture {
  projectId: string;
  itemId: string;
  incidentId: string;
  members: Record<Role, Session>;
}

/** A project with one member per role, a codebook, an incident, and one item assigned to the coder. */
export async function createProjectFixture(h: Harness, members: Record<Role, Session>, options: { extraCoders?: Session[] } = {}): Promise<ProjectFixture> {
  const owner = h.ctx(actorOf(members.owner));
  const project = await createProject(owner, { name: `Project ${newId('project')}`, description: '' });
  for (const role of ['methodologist', 'editor', 'coder'] as const) {
    await addMember(owner, project.id, { email: members[role].email, role });
  }
  for (const extra of options.extraCoders ?? []) await addMember(owner, project.id, { email: extra.email, role: 'coder' });
  await replaceCodebook(owner, project.id, { ...SMALL_CODEBOOK, baseVersion: 1 });
  const incident = await createIncident(owner, project.id, { name: 'Arrest after the January protests', description: '' });
  const item = await createItem(owner, project.id, {
    externalId: null,
    title: 'A post about the arrest',
    url: null,
    platform: 'facebook',
    author: null,
    publishedAt: null,
    language: 'en',
    body: 'text',
    reach: null,
    likes: null,
    shares: null,
    comments: null,
    incidentId: incident.id,
  });
  const coders = [members.coder, ...(options.extraCoders ?? [])];
  await createRound(owner, project.id, {
    roundName: 'round',
    coderIds: coders.map((c) => c.userId),
    itemIds: [item.id],
    mode: { type: 'k', k: coders.length },
    seed: 1,
  });
  return { projectId: project.id, itemId: item.id, incidentId: incident.id, members };
}

export async function json<T = unknown>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
