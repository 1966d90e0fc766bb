import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    // Absolute asset paths: every page is the same shell (ssr = false), so the service worker
    // keeps one and opens any page with it offline (src/service-worker.ts). Concord is served at
    // the root, so relative paths bought nothing.
    paths: { relative: false },
    // Kit adds a nonce (rendered pages) or a hash (prerendered) for its own inline bootstrap; no other inline script runs.
    // Styles may be inline: Svelte sets style attributes and the report's SVG charts carry them.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        // blob: for the chart's PNG download (the SVG is drawn through an object URL).
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        // 'self' covers ws(s) to the same host in current browsers (CSP Level 3): /yjs and /socket.io.
        'connect-src': ['self'],
        // The offline service worker (/service-worker.js); Kit's nonced bootstrap registers it.
        'worker-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
