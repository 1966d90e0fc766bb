/**
 * Seeds the demo study on an empty database, through the same domain verbs the API
 * uses (so authorization, validation and the audit log apply to it too).
 * The study is caught mid-way: 24 items coded by all three coders and revealed,
 * 6 still blind (coder1 done, coder2 half, coder3 not started).
 */
import type { CodingValue } from '@concord/shared';
import type { Logger } from '../logger.ts';
import type { Actor, ServiceContext } from '../services/context.ts';
import type { Db } from '@concord/db';
import type { CollabDocs } from '../services/collab/docs.ts';
import { createRooms } from '../collab/rooms.ts';
import { DEFAULT_COLLAB_LIMITS } from '../config.ts';
import { mulberry32 } from '../services/assignments/sampling.ts';
import { createRound } from '../services/assignments/assignments.ts';
import type { PasswordCost } from '../services/auth/password.ts';
import { insertUser } from '../services/auth/users.ts';
import { replaceCodebook } from '../services/codebook/codebook.ts';
import { saveMyCodings, submitMyCodings } from '../services/codings/codings.ts';
import { importItems } from '../services/import/import-items.ts';
import { createIncident } from '../services/items/incidents.ts';
import { listItems } from '../services/items/items.ts';
import { addMember } from '../services/projects/members.ts';
import { createProject } from '../services/projects/projects.ts';
import { DEMO_ACCOUNTS, DEMO_DOMAIN, DEMO_PROJECT_NAME } from './accounts.ts';
import { DEMO_CODEBOOK } from './codebook.ts';
import { DEMO_ITEMS, INCIDENT_ARREST, INCIDENT_ELECTION, type DemoTruth } from './items.ts';

const DEMO_SEED = 2022;

const FRAME_OPTIONS = DEMO_CODEBOOK.fields.flatMap((f) => (f.type === 'multiple_choice' && f.key === 'narrative_frames' ? f.options : []));
const ROOT_FRAMES = new Set(FRAME_OPTIONS.filter((o) => o.parent === null).map((o) => o.value));
/** Coders code narratives, never a parent frame alone (the field's help), so a slip goes up to the narrative above, not to a parent frame. */
const FRAME_PARENTS = new Map(FRAME_OPTIONS.flatMap((o) => (o.parent && !ROOT_FRAMES.has(o.parent) ? [[o.value, o.parent] as const] : [])));
const ALL_FRAMES = FRAME_OPTIONS.filter((o) => !ROOT_FRAMES.has(o.value)).map((o) => o.value);
const ALL_SOURCES = ['government', 'state_media', 'independent_journalist', 'opposition', 'civil_society', 'international', 'anonymous'];
const DIMENSIONS = ['data_governance', 'speech', 'access', 'information'];
const ELEMENTS = ['motives', 'methods', 'responses'];

/** One simulated coder's reading of an item: the truth, with realistic slips. */
function codeItem(truth: DemoTruth, platform: string, random: () => number): Record<string, CodingValue> {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const nudge = (v: number, min: number, max: number, pExact: number) =>
    random() < pExact ? v : Math.min(max, Math.max(min, v + (random() < 0.5 ? -1 : 1)));
  const frames = new Set<string>();
  for (const f of truth.frames) {
    const r = random();
    if (r < 0.78) frames.add(f);
    else if (r < 0.9 && FRAME_PARENTS.get(f)) frames.add(FRAME_PARENTS.get(f)!);
  }
  if (random() < 0.12 || frames.size === 0) frames.add(pick(ALL_FRAMES));
  const sources = new Set(truth.sources.filter(() => random() < 0.85));
  if (random() < 0.15 || sources.size === 0) sources.add(pick(ALL_SOURCES));
  return {
    narrative_frames: [...frames].sort(),
    civic_impact: nudge(truth.impact, -3, 3, 0.45),
    dimension: random() < 0.8 ? truth.dimension : pick(DIMENSIONS),
    element: random() < 0.72 ? truth.element : pick(ELEMENTS),
    platform: random() < 0.93 ? platform : pick(['news', 'facebook', 'twitter', 'instagram', 'telegram', 'report']),
    sources: [...sources].sort(),
    popularity: nudge(truth.popularity, 1, 4, 0.7),
  };
}

/**
 * Codings are written through the coders' live documents: pass the server's registry
 * (`collab`: `deps.collab`), or a private one is used for the duration of the seed.
 * `passwordCost`: the configured one (config.passwordCost); absent, the production cost.
 */
export async function seedDemo(db: Db, logger: Logger, password: string, options: { collab?: CollabDocs; passwordCost?: PasswordCost } = {}): Promise<{ projectId: string }> {
  if (options.collab) return seedDemoWith(db, logger, password, options.collab, options.passwordCost);
  const rooms = createRooms({ db, logger, limits: DEFAULT_COLLAB_LIMITS });
  try {
    return await seedDemoWith(db, logger, password, rooms, options.passwordCost);
  } finally {
    await rooms.close();
  }
}

async function seedDemoWith(db: Db, logger: Logger, password: string, collab: CollabDocs, passwordCost: PasswordCost | undefined): Promise<{ projectId: string }> {
  const as = (db: Db, logger: Logger, actor: Actor): ServiceContext => ({ db, logger, actor, collab });
  const system: ServiceContext = { db, logger, actor: null, passwordCost };
  const accounts = new Map<string, Actor>();
  for (const a of DEMO_ACCOUNTS) {
    const user = await insertUser({ ctx: system, input: { email: a.email, name: a.name, password, isAdmin: a.role === 'owner' } });
    accounts.set(a.email, { userId: user.id, isAdmin: user.isAdmin });
  }
  const actor = (who: string) => accounts.get(`${who}@${DEMO_DOMAIN}`)!;
  const owner = as(db, logger, actor('owner'));

  const project = await createProject({ ctx: owner, input: {
    name: DEMO_PROJECT_NAME,
    description: 'Civic Media Observatory study of digital authoritarianism in Kazakhstan (demo data, written for Concord).',
  } });
  for (const a of DEMO_ACCOUNTS.slice(1)) await addMember({ ctx: owner, projectId: project.id, input: { email: a.email, role: a.role } });
  await replaceCodebook({ ctx: owner, projectId: project.id, input: { ...DEMO_CODEBOOK, baseVersion: 1 } });
  // Incidents first, with their descriptions and dates: the import then links items to them by name.
  for (const incident of [INCIDENT_ARREST, INCIDENT_ELECTION]) await createIncident({ ctx: owner, projectId: project.id, input: incident });
  await importItems({ ctx: owner, projectId: project.id, source: {
    format: 'json',
    filename: 'demo-items.json',
    body: [
      JSON.stringify(
        DEMO_ITEMS.map((item, i) => ({
          externalId: `KZ-${String(i + 1).padStart(3, '0')}`,
          title: item.title,
          platform: item.platform,
          author: item.author,
          publishedAt: item.publishedAt,
          language: item.language,
          body: item.body,
          reach: item.reach,
          incident: item.incident === 'arrest' ? INCIDENT_ARREST.name : INCIDENT_ELECTION.name,
        })),
      ),
    ],
  } });

  const coders = ['coder1', 'coder2', 'coder3'];
  await createRound({ ctx: owner, projectId: project.id, input: {
    roundName: 'Reliability round 1',
    coderIds: coders.map((c) => actor(c).userId),
    mode: { type: 'k', k: 3 },
    seed: DEMO_SEED,
  } });

  const { items } = await listItems({ ctx: owner, projectId: project.id, query: { limit: 100, offset: 0 } });
  const byExternalId = new Map(items.map((i) => [i.externalId!, i]));
  const random = mulberry32(DEMO_SEED);
  for (const [index, demo] of DEMO_ITEMS.entries()) {
    const item = byExternalId.get(`KZ-${String(index + 1).padStart(3, '0')}`)!;
    // The last three items of each incident are still in the blind phase.
    const blindRank = index % 15 >= 12 ? (index % 15) - 12 : -1;
    for (const [c, coder] of coders.entries()) {
      const codes = codeItem(demo.truth, demo.platform, random);
      const done = blindRank === -1 || c === 0 || (c === 1 && (blindRank + (demo.incident === 'arrest' ? 0 : 1)) % 2 === 0);
      if (!done) continue;
      const ctx = as(db, logger, actor(coder));
      await saveMyCodings({ ctx, projectId: project.id, itemId: item.id, values: codes });
      await submitMyCodings({ ctx, projectId: project.id, itemId: item.id });
    }
  }
  return { projectId: project.id };
}
