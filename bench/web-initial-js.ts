/**
 * The coding page's initial JavaScript, gzipped: every JS file the browser loads before the
 * coding view (`/projects/:id/items/:itemId`) can run: SvelteKit's entry (start + app), the
 * root and (app) layouts and the page node, with their static imports (not dynamic ones),
 * read from the Vite manifest of the web build. Gzip level 9, as adapter-node precompresses.
 * Builds the web app first when there is no build (or with --build). Prints ONE JSON line.
 * Budget 100 KB: what the page loaded on 2026-11-29 (98.2 KB), so growth shows as a regression
 * (issue 15). `zod`: whether zod's code is among those files (the client should not need it to
 * paint; a schema built at module level in a shared module brings it, 25 KB gzipped).
 *
 *   pnpm exec tsx bench/web-initial-js.ts [--build] [--all] [--route '/(app)/projects/[projectId]/items/[itemId]']
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values: flags } = parseArgs({
  options: {
    build: { type: 'boolean', default: false },
    /** List every file under `largest`, not the five largest. */
    all: { type: 'boolean', default: false },
    route: { type: 'string', default: '/(app)/projects/[projectId]/items/[itemId]' },
  },
});
const BUDGET_KB = 100;
const WEB = path.resolve(import.meta.dirname, '../apps/web');
const KIT = path.join(WEB, '.svelte-kit');
const MANIFEST = path.join(KIT, 'output/client/.vite/manifest.json');
const CLIENT_DIR = path.join(KIT, 'output/client');
const APP = path.join(KIT, 'generated/client-optimized/app.js');

interface Chunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
}

if (flags.build || !existsSync(MANIFEST) || !existsSync(APP)) {
  execFileSync('pnpm', ['--filter', '@concord/web', 'build'], { cwd: path.resolve(WEB, '../..'), stdio: ['ignore', 'ignore', 'inherit'] });
}
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, Chunk>;

// The route's nodes from the generated client: "route": [page, [layouts], [errors]] (a leading ~ marks a server load).
const app = readFileSync(APP, 'utf8');
const entry = new RegExp(`"${flags.route.replace(/[[\]()/]/g, (c) => `\\${c}`)}":\\s*\\[(~?\\d+)(?:,\\s*\\[([^\\]]*)\\])?`).exec(app);
if (!entry) throw new Error(`route ${flags.route} is not in ${APP}`);
const nodeIndex = (s: string) => Number(s.trim().replace('~', ''));
const nodes = [0, ...(entry[2] ? entry[2].split(',').filter(Boolean).map(nodeIndex) : []), nodeIndex(entry[1]!)];

const byName = (name: string) => {
  const key = Object.keys(manifest).find((k) => manifest[k]!.isEntry && manifest[k]!.name === name);
  if (!key) throw new Error(`no manifest entry named ${name}`);
  return key;
};
const roots = [byName('entry/start'), byName('entry/app'), ...nodes.map((n) => byName(`nodes/${n}`))];

const seen = new Set<string>();
const visit = (key: string) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const dep of manifest[key]!.imports ?? []) visit(dep);
};
roots.forEach(visit);

const files = [...seen].map((key) => {
  const file = manifest[key]!.file;
  const bytes = readFileSync(path.join(CLIENT_DIR, file));
  // zod registers its classes by name (`$ZodType`), which minification keeps.
  return { file, name: manifest[key]!.name ?? key, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, zod: bytes.includes('$ZodType') };
});
files.sort((a, b) => b.gzip - a.gzip);
const gzip = files.reduce((s, f) => s + f.gzip, 0);
const raw = files.reduce((s, f) => s + f.raw, 0);

console.log(
  JSON.stringify({
    bench: 'web-initial-js',
    route: flags.route,
    nodes,
    files: files.length,
    raw_kb: +(raw / 1024).toFixed(1),
    gzip_kb: +(gzip / 1024).toFixed(1),
    budget_kb: BUDGET_KB,
    within_budget: gzip / 1024 <= BUDGET_KB,
    zod: files.some((f) => f.zod),
    largest: files.slice(0, flags.all ? files.length : 5).map((f) => ({ name: f.name, gzip_kb: +(f.gzip / 1024).toFixed(1) })),
  }),
);
