/**
 * The run's file order (helpers/sequencer.ts): the longest files first, the `cli/` files that run
 * the CLI bundle before the others, and `cli/concord-bin.test.ts` (which makes that bundle stale)
 * last, so it never rebuilds the bundle while another file runs it.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { TestSpecification } from 'vitest/node';
import E2eSequencer from './sequencer.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

it('hands out the longest files first, the CLI bundle users next, and concord-bin last', async () => {
  const files = ['api/restart.test.ts', 'cli/concord-bin.test.ts', 'browser/sign-in.test.ts', 'cli/user-create.test.ts', 'browser/accessibility.test.ts', 'browser/coding.test.ts', 'cli/backup-restore.test.ts', 'cli/reliability-export.test.ts'];
  const specs = files.map((file) => ({ moduleId: `${root}${file}`, project: { config: { root } } }) as unknown as TestSpecification);
  const sorted = await new E2eSequencer({} as never).sort(specs);
  const order = sorted.map((s) => s.moduleId.slice(root.length));
  expect(order.slice(0, 3)).toEqual(['browser/accessibility.test.ts', 'cli/backup-restore.test.ts', 'browser/coding.test.ts']);
  expect(order.slice(3, 5).sort()).toEqual(['cli/reliability-export.test.ts', 'cli/user-create.test.ts']);
  expect(order.at(-1)).toBe('cli/concord-bin.test.ts');
  expect(order).toHaveLength(files.length);
});
