/**
 * Test harness: a real database (PGlite in memory, or a fresh PostgreSQL database
 * when TEST_DATABASE_URL is set), the real migrations, the real app. Each test file
 * gets its own database; tests inside a file create uniquely named data.
 */
import { createTestDb, type TestDatabase, type TestSeed } from '@concord/db/testing';
import { projects } from '@concord/db';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { newId, ROLES, type CodebookInput, type ItemInput, type Role, type RoundType } from '@concord/shared';
import { createApp, type App } from '../src/app.ts';
import { createApiClient, type ApiClient } from '../src/client.ts';
import { testConfig, type Config } from '../src/config.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import type { Actor, ServiceContext } from '../src/services/context.ts';
import { insertUser } from '../src/services/auth/users.ts';
import { DEMO_ACCOUNTS, DEMO_PROJECT_NAME } from '../src/demo/accounts.ts';
import { seedDemo } from '../src/demo/seed.ts';
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
  /** The typed API client (Hono's `hc`, as the web app calls the API) as `session`, or anonymous; served by the app in memory. */
  client(session: Session | null): ApiClient;
}

export interface Session {
  userId: string;
  email: string;
  cookie: string;
}

/** `options.logger`: log somewhere a test can read (the default follows the config's level). */
export async function createHarness(overrides: Partial<Config> = {}, options: { logger?: Logger; seed?: TestSeed } = {}): Promise<Harness> {
  const database = await createTestDb({ seed: options.seed });
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
    ctx: (actor) => ({ db: deps.database.db, actor, logger, passwordCost: config.passwordCost }),
    client: clientVia(app),
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

/** `Harness.client` on an app: requests go to `app.request`, no socket; the host name is never resolved. */
export function clientVia(app: App): Harness['client'] {
  return (session) => createApiClient('http://concord.test', { fetch: app.request, headers: session ? { cookie: session.cookie } : {} });
}

/** The demo study seeded with PASSWORD through the real verbs and live documents (`seedDemo`), as a test database's starting data. */
const DEMO_SEED: TestSeed = { name: 'demo', build: async (database) => void (await seedDemo(database.db, createLogger(testConfig()), PASSWORD, { passwordCost: testConfig().passwordCost })) };

/**
 * A harness on a copy of the demo study (accounts with PASSWORD) and the demo project's id.
 * The study is seeded once per test process and copied for each file (`TestSeed`): seeding
 * writes 72 codings through live documents, about 8 s of CPU.
 */
/** A `beforeAll` that calls createDemoHarness may be the one that seeds: slow on a loaded 2-core machine. */
export const DEMO_HARNESS_TIMEOUT_MS = 240_000;

export async function createDemoHarness(): Promise<{ h: Harness; projectId: string }> {
  const h = await createHarness({}, { seed: DEMO_SEED });
  const [project] = await h.deps.database.db.select({ id: projects.id }).from(projects).where(eq(projects.name, DEMO_PROJECT_NAME));
  if (!project) throw new Error('the demo seed holds no demo project');
  return { h, projectId: project.id };
}

let counter = 0;
export const uniqueEmail = (label: string) => `${label.toLowerCase()}-${Date.now().toString(36)}-${(counter++).toString(36)}@test.concord`;

/** Creates a user and signs them in through the real login route. */
export async function signUp(h: Harness, label: string, options: { isAdmin?: boolean } = {}): Promise<Session> {
  const email = uniqueEmail(label);
  const user = await insertUser({ ctx: h.ctx(null), input: { email, name: label, password: PASSWORD, isAdmin: options.isAdmin ?? false } });
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

export interface TeamHarness<Label extends string> {
  h: Harness;
  members: Record<Role, Session>;
  /** Further signed-in accounts (not members of anything yet), by the label they were made with. */
  others: Record<Label, Session>;
}

/**
 * Most API files' `beforeAll`: a harness, one signed-in user per project role, and further
 * accounts by label (`createTeamHarness(['coderB', 'outsider'])`). The file closes `h`.
 */
export async function createTeamHarness<const Label extends string = never>(labels: readonly Label[] = [], overrides: Partial<Config> = {}): Promise<TeamHarness<Label>> {
  const h = await createHarness(overrides);
  const members = await signUpTeam(h);
  const others = {} as Record<Label, Session>;
  for (const label of labels) others[label] = await signUp(h, label);
  return { h, members, others };
}

export const actorOf = (s: Session): Actor => ({ userId: s.userId, isAdmin: false });

/** Makes an existing account a member at once (the API only invites: invitations.security.test.ts). */
export const addToProject = (h: Harness, owner: Session, projectId: string, member: Session, role: Role) =>
  addMember({ ctx: h.ctx(actorOf(owner)), projectId, input: { email: member.email, role } });

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
  const project = await createProject({ ctx: owner, input: { name: `Project ${newId('project')}`, description: '' } });
  for (const role of ['methodologist', 'editor', 'coder'] as const) {
    await addMember({ ctx: owner, projectId: project.id, input: { email: members[role].email, role } });
  }
  for (const extra of options.extraCoders ?? []) await addMember({ ctx: owner, projectId: project.id, input: { email: extra.email, role: 'coder' } });
  await replaceCodebook({ ctx: owner, projectId: project.id, input: { ...SMALL_CODEBOOK, baseVersion: 1 } });
  const incident = await createIncident({ ctx: owner, projectId: project.id, input: { name: 'Arrest after the January protests', description: '' } });
  const item = await createItem({ ctx: owner, projectId: project.id, input: {
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
  } });
  const coders = [members.coder, ...(options.extraCoders ?? [])];
  await createRound({ ctx: owner, projectId: project.id, input: {
    roundName: 'round',
    coderIds: coders.map((c) => c.userId),
    itemIds: [item.id],
    mode: { type: 'k', k: coders.length },
    seed: 1,
  } });
  return { projectId: project.id, itemId: item.id, incidentId: incident.id, members };
}

/**
 * One more item, added by `owner` through the service: a news post in English whose body is its
 * title unless given, with no other metadata and no incident unless `incidentId` names one.
 */
export async function addItem(h: Harness, owner: Session, projectId: string, fields: Pick<ItemInput, 'title'> & Partial<Pick<ItemInput, 'body' | 'externalId' | 'incidentId'>>): Promise<string> {
  const item = await createItem({ ctx: h.ctx(actorOf(owner)), projectId, input: {
    externalId: null,
    url: null,
    platform: 'news',
    author: null,
    publishedAt: null,
    language: 'en',
    body: fields.title,
    reach: null,
    likes: null,
    shares: null,
    comments: null,
    incidentId: null,
    ...fields,
  } });
  return item.id;
}

/** A round giving every item to every one of `coders` (k = their number, seed 1), made by `manager`; its id. */
export async function assignRound(h: Harness, manager: Session, projectId: string, itemIds: string[], coders: Session[], round: { roundName: string; type?: RoundType }): Promise<string> {
  const made = await createRound({ ctx: h.ctx(actorOf(manager)), projectId, input: { ...round, coderIds: coders.map((c) => c.userId), itemIds, mode: { type: 'k', k: coders.length }, seed: 1 } });
  return made.roundId;
}

/** `coder` saves `values` through the route and, unless `submit` is false, submits them; each call must answer 200. */
export async function codeItem(h: Harness, projectId: string, itemId: string, coder: Session, values: Record<string, unknown>, submit = true): Promise<void> {
  const base = `/api/projects/${projectId}/items/${itemId}/codings/me`;
  const saved = await h.request(coder, 'PUT', base, { values });
  expect(saved.status, await saved.clone().text()).toBe(200);
  if (!submit) return;
  const submitted = await h.request(coder, 'POST', `${base}/submit`);
  expect(submitted.status, await submitted.clone().text()).toBe(200);
}

export async function json<T = unknown>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
