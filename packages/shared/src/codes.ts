/**
 * Field keys and option codes are identifiers: they name columns in exports and values in
 * R/Python analyses, so they must survive any tool. The editor generates them from labels
 * (`slugify`), and every key or code that is new or changed must be one (`newCodeIssues`).
 * Codes saved before this rule (imported codebooks) may be anything but "|", so only new or
 * changed ones are checked: refusing a saved code would lock its codings out of the editor.
 */
import type { FieldDefinition } from './schemas/codebook.ts';
import { optionCodeSchema } from './schemas/codebook.ts';

const MAX = 63;

/** `Journalists' media!` -> `journalists_media`; unique among `taken` by a `_2`, `_3`… suffix. */
export function slugify(label: string, taken: Iterable<string> = [], fallback = 'code'): string {
  const ascii = label.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  let base = ascii.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(base)) base = base ? `${fallback}_${base}` : fallback;
  base = base.slice(0, MAX).replace(/_+$/, '');
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, MAX - String(n).length - 1)}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

export interface CodeIssue {
  path: (string | number)[];
  message: string;
}

/** Option codes in `after` that are not identifiers and were not already in `before` (same field). */
export function newCodeIssues(before: readonly FieldDefinition[], after: readonly FieldDefinition[]): CodeIssue[] {
  const issues: CodeIssue[] = [];
  for (const [i, field] of after.entries()) {
    if (field.type !== 'single_choice' && field.type !== 'multiple_choice') continue;
    const old = before.find((f) => f.key === field.key);
    const saved = new Set(old && 'options' in old ? old.options.map((o) => o.value) : []);
    for (const [j, option] of field.options.entries()) {
      if (saved.has(option.value)) continue;
      const parsed = optionCodeSchema.safeParse(option.value);
      if (!parsed.success) {
        issues.push({
          path: [i, 'options', j, 'value'],
          message: `${field.label}: option "${option.label}" has code "${option.value}", which ${parsed.error.issues[0]?.message ?? 'is not an identifier'}`,
        });
      }
    }
  }
  return issues;
}
