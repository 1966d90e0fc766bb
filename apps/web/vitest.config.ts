import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The plain svelte() plugin, not sveltekit(): kit resolves its config from the cwd,
// which breaks when vitest runs from the repository root (see STACK.md).
export default defineConfig({
  plugins: [svelte()],
  resolve: {
    alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts'],
    // The files share one worker's imported modules instead of each importing Svelte, zod and
    // $lib again (no vi.mock here; fake timers are restored by the tests that use them): the
    // lane took 213 s and 14 s of CPU isolated, 36 s and 3 s not, on a host at load 45.
    isolate: false,
  },
});
