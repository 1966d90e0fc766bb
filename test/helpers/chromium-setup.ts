/**
 * Global setup: one Chromium for the whole run, which the test files connect to
 * (`connectChromium` in chromium.ts) instead of each launching a browser of its own. Without
 * Chromium nothing is launched; the files then skip (or fail with CI=true) through `findChromium`.
 */
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { chromiumLaunchOptions, installedChromium } from './chromium.ts';

export default async function setup(project: TestProject) {
  const executablePath = installedChromium();
  if (!executablePath) return undefined;
  const server = await chromium.launchServer(chromiumLaunchOptions(executablePath));
  project.provide('chromiumWsEndpoint', server.wsEndpoint());
  return () => server.close();
}
