/**
 * Production builds of the server, with the workspace packages (TypeScript sources) bundled in
 * and the npm dependencies left as imports:
 * - `dist/main.mjs`, the server (`pnpm start`, the end-to-end tests, the benches), with zod and
 *   Yjs inside (`BUNDLED_NPM`);
 * - `dist/concord.mjs`, the command line (`pnpm concord`, the `concord` bin), with the
 *   database commands split into chunks loaded only when asked for, so `concord reliability`
 *   starts without drizzle or the database drivers.
 *
 * Why bundles: `tsx` transpiles on the fly through a module-loader thread with its own V8 heap;
 * the running server then holds about 85 MB more (idle RSS 212 MB under tsx, 126 MB from the
 * bundle, on PostgreSQL), and each CLI run paid its start-up. Development keeps tsx.
 *
 * `dist/` sits at the same depth as `src/` and every output file lies directly in it, so the
 * paths the code resolves from its own location (the web build in config.ts, the migrations in
 * @concord/db) stay correct. Outputs are written to a temporary name and renamed, so a process
 * starting during a build never reads half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = path.dirname(fileURLToPath(import.meta.url));
const workspace = /^@concord\//;

/**
 * npm packages bundled into the server instead of imported, for the heap: V8 keeps each module's
 * source for the life of the process, and esbuild drops the comments of what it bundles (Yjs's
 * one file is 600 KB with its doc comments; bench/README.md, "2026-12-07 night (`mem8`)").
 * - zod and the one package that imports it: zod's entry (`zod`, and every other entry through
 *   `zod/v4/core`) imports all 64 of its locales, 341 KB of source, and the server only ever uses
 *   `en`, which zod configures itself; bundled, `zodEnglishOnly` puts a module exporting `en`
 *   alone in their place.
 * - Yjs, lib0 and y-protocols.
 * Every importer of a bundled package must be bundled too: an external one would load a second
 * copy, whose schemas or types (`instanceof`) the bundled one does not know.
 */
const BUNDLED_NPM = /^(zod|@hono\/zod-openapi|@hono\/zod-validator|@asteasolutions\/zod-to-openapi|yjs|y-protocols|lib0)(\/|$)/;
/** zod's `locales/index.js`, imported by `v4/core/index.js` and `v4/classic/external.js`. */
const ZOD_LOCALES = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

/** For the server's build, with zod inside: zod's locales cut to `en`. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: ZOD_LOCALES }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/** Bare specifiers that are not ours are npm packages, resolved by Node at run time, but those `inside` matches. */
const externalNpm = (inside) => ({
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (workspace.test(args.path) || inside?.test(args.path) ? undefined : { path: args.path, external: true }));
  },
});

const common = {
  absWorkingDir: serverDir,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
  write: false,
  plugins: [externalNpm()],
};

/**
 * V8 keeps every module's source text in the heap for as long as the process runs, one byte per
 * character when every character is Latin-1 and two bytes otherwise. esbuild escapes non-ASCII
 * characters in strings, templates, regular expressions and names, but keeps the doc comments
 * of class fields and object members as written, and a few of ours hold `…` or `→`: the whole
 * server bundle (0.85 M characters) was then stored two bytes per character, 0.8 MB more live
 * heap on every server (bench/README.md, "2026-12-07 evening (`mem7`)"). So the code units
 * above U+00FF, which can only be in those comments, become `?`: one for one, so the source
 * map's columns stay right, and the map still points to the sources as written.
 */
const WIDE = /[\u0100-\uffff]/;
const latin1Only = (file) =>
  /\.m?js$/.test(file.path) && WIDE.test(file.text) ? new TextEncoder().encode(file.text.replace(new RegExp(WIDE, 'g'), '?')) : file.contents;

function writeAtomically(files) {
  mkdirSync(path.join(serverDir, 'dist'), { recursive: true });
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, latin1Only(file));
    renameSync(temporary, file.path);
  }
}

/** Builds the requested bundles (both by default). */
export async function buildServer({ server = true, cli = true } = {}) {
  const builds = [];
  if (server) builds.push(build({ ...common, entryPoints: { main: 'src/main.ts' }, sourcemap: 'linked', plugins: [externalNpm(BUNDLED_NPM), zodEnglishOnly] }));
  if (cli) {
    builds.push(
      build({
        ...common,
        entryPoints: { concord: 'src/cli/main.ts' },
        splitting: true,
        chunkNames: 'concord-[name]-[hash]',
        banner: { js: '#!/usr/bin/env node' },
      }),
    );
  }
  for (const result of await Promise.all(builds)) writeAtomically(result.outputFiles);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
