/**
 * The system Chromium, driven by playwright-core. No browser is ever downloaded.
 * CHROMIUM_PATH overrides the Debian location.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

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

/**
 * The Chromium executable, or null when it is missing. On CI a missing browser fails the run
 * (a skipped browser suite must never look green there); locally the suite is skipped, loudly.
 */
export function findChromium(): string | null {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const problem = `Chromium was not found at ${CHROMIUM_PATH}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`;
  if (process.env.CI === 'true') throw new Error(problem);
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING THE BROWSER TESTS: ${problem}\n${'!'.repeat(78)}\n`);
  return null;
}

/** `extraArgs`: e.g. `--ignore-certificate-errors` for a proxy with a self-signed certificate. */
export function launchChromium(executablePath: string, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
