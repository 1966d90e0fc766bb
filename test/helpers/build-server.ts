/**
 * Vitest global setup: builds the server's production bundle once before any test file runs,
 * so the tests start exactly what `pnpm start` runs, and a direct `vitest run` after editing
 * the server's sources never tests a stale bundle (esbuild takes well under a second).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: fileURLToPath(new URL('../../apps/server', import.meta.url)), stdio: 'inherit' });
}
