import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
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
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
