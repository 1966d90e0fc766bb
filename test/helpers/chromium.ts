/**
 * The system Chromium, driven by playwright-core. No browser is ever downloaded.
 * CHROMIUM_PATH overrides the Debian location.
 *
 * One Chromium serves the whole run (helpers/chromium-setup.ts, a global setup, launches it):
 * each test file connects to it (`connectChromium`) instead of starting its own, which cost a
 * browser start per file. Isolation is unchanged: a file's pages live in its own browser
 * contexts (separate cookies, storage and cache), and closing a connected browser closes every
 * context the file made and disconnects.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { inject } from 'vitest';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared Chromium (chromium-setup.ts); absent when Chromium is missing. */
    chromiumWsEndpoint?: string;
  }
}

// --user-data-dir must not be passed: launch() creates its own temporary profile.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** The Chromium executable when it exists, without a notice (the global setup's check). */
export const installedChromium = (): string | null => (existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : null);

/** How every browser of the suite starts. */
export const chromiumLaunchOptions = (executablePath: string, extraArgs: string[] = []): LaunchOptions => ({
  executablePath,
  headless: true,
  args: [...CHROMIUM_ARGS, ...extraArgs],
});

/**
 * The Chromium executable, or null when it is missing. On CI a missing browser fails the run
 * (a skipped browser suite must never look green there); locally the suite is skipped, loudly.
 */
export function findChromium(): string | null {
  if (installedChromium()) return CHROMIUM_PATH;
  const problem = `Chromium was not found at ${CHROMIUM_PATH}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`;
  if (process.env.CI === 'true') throw new Error(problem);
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING THE BROWSER TESTS: ${problem}\n${'!'.repeat(78)}\n`);
  return null;
}

/** A Chromium of the caller's own; `extraArgs`: e.g. `--ignore-certificate-errors` for a proxy with a self-signed certificate. */
export function launchChromium(executablePath: string, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(executablePath, extraArgs));
}

/** The run's shared endpoint, if the global setup launched one (none outside vitest). */
function sharedEndpoint(): string | undefined {
  try {
    return inject('chromiumWsEndpoint');
  } catch {
    return undefined;
  }
}

/**
 * A connection to the run's shared Chromium, or a browser of its own where there is none.
 * `close()` on it closes the contexts this file made and disconnects. A connected browser's
 * downloads are read with `download.createReadStream()` (`download.path()` throws remotely).
 */
export function connectChromium(executablePath: string): Promise<Browser> {
  const endpoint = sharedEndpoint();
  return endpoint ? chromium.connect(endpoint) : launchChromium(executablePath);
}
