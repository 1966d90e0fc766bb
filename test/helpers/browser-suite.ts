/**
 * The set-up most browser test files share, in one call inside their `describe`: before the
 * file's tests, the real server (the demo study unless `env` says otherwise), a connection to
 * the run's Chromium and the named users signed in through the API; after them, every browser
 * context closed, the browser let go and the server disposed. A file's own `beforeAll`,
 * registered after this call, runs after it (vitest runs before-hooks in order, after-hooks in
 * reverse).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ok } from './api.ts';
import { connectChromium, findChromium } from './chromium.ts';
import { assertWebBuilt, startServerProcess, type ServerProcess } from './server.ts';
import { browserSessions } from './sessions.ts';

export interface BrowserSuiteOptions {
  /** The server's variables; `{ CONCORD_DEMO: '1' }` (the seeded demo study) by default. */
  env?: Record<string, string>;
  /** Demo accounts (`coder1`, `editor`, …) to sign in through the API once both are up. */
  signIn?: string[];
  /** How long the server's start may take (helpers/server.ts: 90 s by default). */
  startTimeoutMs?: number;
}

/** The hook's time: the server's start, then Chromium and the sign-ins. */
const hookTimeout = (startTimeoutMs = 90_000) => startTimeoutMs + 90_000;

export function browserSuite(options: BrowserSuiteOptions = {}) {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const users = browserSessions(() => ({ url: suite.server.url, browser: suite.browser }));

  const suite = {
    ...users,
    get server(): ServerProcess {
      if (!server) throw new Error('the suite has no server yet: use it inside a hook or a test');
      return server;
    },
    get browser(): Browser {
      if (!browser) throw new Error('the suite has no browser yet: use it inside a hook or a test');
      return browser;
    },
    /** The first project `who` (signed in) sees: on the demo, the demo project. */
    async firstProjectId(who: string): Promise<string> {
      return (await ok(users.client(who).api.projects.$get()))[0]!.id;
    },
  };

  beforeAll(async () => {
    assertWebBuilt();
    // One after the other, so afterAll can clean up whichever started when the other fails.
    server = await startServerProcess({ env: options.env ?? { CONCORD_DEMO: '1' }, startTimeoutMs: options.startTimeoutMs });
    browser = await connectChromium(findChromium()!);
    for (const who of options.signIn ?? []) await users.signIn(who);
  }, hookTimeout(options.startTimeoutMs));

  afterAll(async () => {
    await users.closeContexts();
    await browser?.close();
    await server?.dispose();
  });

  return suite;
}
