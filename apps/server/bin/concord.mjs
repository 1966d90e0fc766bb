#!/usr/bin/env node
/**
 * The `concord` command (`pnpm concord …`, `pnpm exec concord …`): runs the bundled command
 * line, `dist/concord.mjs`, building it first when it is missing or older than a source file,
 * so a fresh checkout works and an edited one never runs stale code. The check stats the
 * source folders (a few milliseconds); the build, when needed, takes well under a second.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.resolve(serverDir, '../..');
const bundle = path.join(serverDir, 'dist/concord.mjs');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Not path.join: its normalisation, once per source file, was most of the check's time.
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function sourceDirs() {
  const packages = path.join(repoDir, 'packages');
  return [path.join(serverDir, 'src'), ...readdirSync(packages).map((name) => path.join(packages, name, 'src'))];
}

function isStale() {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return true;
  }
  return sourceDirs().some((dir) => {
    try {
      return newestMtime(dir) > built;
    } catch {
      return false;
    }
  });
}

if (isStale()) {
  const { buildServer } = await import('../build.mjs');
  await buildServer({ server: false, cli: true });
}
await import(pathToFileURL(bundle).href);
