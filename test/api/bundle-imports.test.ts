/**
 * What the server bundle loads when it starts (and what it holds: zod with one locale, Yjs): the packages only some requests need (exports,
 * imports of codebooks and answer keys, mail), the metrics library (only with
 * CONCORD_METRICS_TOKEN), the database driver a deployment does not use and the Redis client
 * and socket.io adapter (only with REDIS_URL) are imported where they are used, so an idle server and one holding live documents never load
 * them (bench/README.md, "Memory at start"). esbuild keeps an external package's static import as
 * a top-level `import … from "pkg"` line and a dynamic one as `import("pkg")`: the built file says
 * which is which.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const BUNDLE = new URL('../../apps/server/dist/main.mjs', import.meta.url);

/** Imported on first use, never at start. */
const ON_FIRST_USE = ['exceljs', 'nodemailer', 'fast-xml-parser', 'csv-parse/sync', 'prom-client', '@electric-sql/pglite', 'drizzle-orm/pglite', 'postgres', 'drizzle-orm/postgres-js', 'ioredis', '@socket.io/redis-adapter'];

/** `specifier` itself or a sub-path of it (`drizzle-orm/pglite/migrator`). */
const within = (specifier: string) => (s: string) => s === specifier || s.startsWith(`${specifier}/`);

describe('the server bundle', () => {
  it('imports at start none of the packages the live path does not need, and each of them where it is used', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    const atStart = new Set([...code.matchAll(/^import [^\n]*? from "([^"]+)";$/gm)].map((m) => m[1]!));
    const onUse = new Set([...code.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]!));
    // The pattern finds the static imports (the server cannot start without these).
    expect(atStart).toContain('drizzle-orm');
    expect(atStart).toContain('ws');
    for (const specifier of ON_FIRST_USE) {
      expect(onUse, specifier).toContain(specifier);
      expect([...atStart].filter(within(specifier)), specifier).toEqual([]);
    }
  });

  it('holds zod with its English locale only, and Yjs, both without comments (build.mjs `BUNDLED_NPM`, `zodEnglishOnly`)', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    // esbuild heads each bundled module with a comment naming its file.
    const modules = (pkg: string) => [...code.matchAll(new RegExp(`^// \\S*/node_modules/${pkg}/(\\S+)$`, 'gm'))].map((m) => m[1]!);
    expect(modules('zod')).toContain('v4/classic/schemas.js');
    expect(modules('zod').filter((m) => m.startsWith('v4/locales/')).sort()).toEqual(['v4/locales/en.js', 'v4/locales/index.js']);
    expect(modules('yjs')).toEqual(['dist/yjs.mjs']);
    // One copy of each per process: a zod or Yjs imported beside the bundled one would not know
    // the other's schemas or types (`instanceof`), so none of them or their importers is imported.
    const imported = [...code.matchAll(/^import [^\n]*? from "([^"]+)";$/gm), ...code.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(imported.filter((s) => /zod|^yjs|^y-protocols|^lib0/.test(s))).toEqual([]);
  });

  it('is Latin-1 throughout, so V8 keeps its source one byte per character (build.mjs `latin1Only`)', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    const wide = [...code.matchAll(/[\u0100-\uffff]+/g)].map((m) => m[0]);
    expect(wide).toEqual([]);
  });
});
