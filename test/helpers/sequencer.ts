/**
 * The order the run hands its files to its two workers (vitest.config.ts): the longest first, so
 * the last file to start is a short one and neither worker sits idle at the end while the other
 * finishes a long file (CI has no duration cache, and vitest's default then keeps the glob order).
 * The durations are the last CI's wall times; files not named here follow, larger files first.
 *
 * `cli/concord-bin.test.ts` runs last, when every other file of the run has started: it makes
 * the CLI bundle stale on purpose and watches `concord` rebuild it, which must not happen while
 * another file (backup-restore, user-create, reliability-export) runs that bundle. Those run early.
 */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The longest files, longest first (seconds of wall time at the last CI, one file at a time). */
const LONGEST = [
  'browser/accessibility.test.ts',
  'cli/backup-restore.test.ts',
  'browser/joint-session.test.ts',
  'browser/inbox.test.ts',
  'deploy/nginx.test.ts',
  'browser/coding.test.ts',
];
const USES_CLI_BUNDLE = /^cli\/(?!concord-bin\.)/;
const LAST = 'cli/concord-bin.test.ts';

export default class E2eSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const name = (spec: TestSpecification) => relative(spec.project.config.root, spec.moduleId);
    const rank = (spec: TestSpecification): [number, number] => {
      const file = name(spec);
      if (file === LAST) return [3, 0];
      const longest = LONGEST.indexOf(file);
      if (longest >= 0) return [0, longest];
      if (USES_CLI_BUNDLE.test(file)) return [1, 0];
      return [2, -statSync(spec.moduleId).size];
    };
    return [...files].sort((a, b) => {
      const [ra, rb] = [rank(a), rank(b)];
      return ra[0] - rb[0] || ra[1] - rb[1];
    });
  }
}
