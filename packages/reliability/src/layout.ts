/**
 * Which layout a CSV is in, decided from its header, never guessed from a misread:
 * - long: the header names `unit`, `coder` and `value` (any order, any case; other columns
 *   such as the project export's `field`, `external_id` or `title` are kept aside);
 * - wide: the unit id, then one column per coder, and no column named as the long layout's
 *   or an export's item columns.
 * A header between the two (say `unit,coder,field,value` read as wide, which would count
 * four coders) is refused with AMBIGUOUS_LAYOUT naming what was seen.
 */
import { ReliabilityError } from './errors.ts';

export type CsvLayout = 'wide' | 'long';
/** `auto` decides by the header; `wide` and `long` are the caller's word, still checked. */
export type CsvLayoutChoice = CsvLayout | 'auto';

/** 0-based columns of the long layout; `field` is null when the file holds one field. */
export interface LongColumns {
  readonly unit: number;
  readonly coder: number;
  readonly value: number;
  readonly field: number | null;
}

/** Wide: `firstCoder` is the 0-based column of the first coder (1, or after the export's item columns). */
export type DetectedLayout = { readonly layout: 'wide'; readonly firstCoder: number } | { readonly layout: 'long'; readonly columns: LongColumns; readonly named: boolean };

const LONG_NAMES = ['unit', 'coder', 'value'] as const;
/**
 * The item columns the project's exports put after the unit id (ITEM_EXPORT_COLUMNS of
 * @concord/shared, which this package does not depend on; test/cli/reliability-export.test.ts
 * reads the real exports). In a wide file they are skipped when they lead; elsewhere they are no coder.
 */
const ITEM_COLUMNS = new Set(['external_id', 'title', 'incidents', 'platform', 'published_at', 'url']);
/** The wide export's `item_version_<coder>` columns (`?itemVersions=1`): skipped where they lead, like the item columns. */
const isItemColumn = (name: string) => ITEM_COLUMNS.has(name) || name.startsWith('item_version_');
/** Names that only a long file, or an export's item columns, put in a header: never a coder. */
const NOT_CODERS = new Set(['coder', 'value', 'field', 'rationale', ...ITEM_COLUMNS]);

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/**
 * Decides the layout of a header (its trimmed cells, on `line`). Throws AMBIGUOUS_LAYOUT
 * when the header fits neither layout as asked, with the header's line and first odd column.
 */
export function detectLayout(cells: readonly string[], line: number, choice: CsvLayoutChoice): DetectedLayout {
  const names = cells.map((c) => c.toLowerCase());
  const at = (name: string) => names.indexOf(name);
  const [unit, coder, value] = LONG_NAMES.map(at) as [number, number, number];
  const field = at('field');
  const longShape = unit >= 0 && coder >= 0 && value >= 0;
  // Column 1 is the unit id in a wide file, whatever it is called; the export's item columns may follow it.
  let firstCoder = 1;
  while (firstCoder < names.length && isItemColumn(names[firstCoder]!)) firstCoder++;
  const odd = names.map((n, i) => ({ n, i })).filter(({ n, i }) => i >= (choice === 'long' || longShape ? 1 : firstCoder) && NOT_CODERS.has(n));
  const position = { line, column: (odd[0]?.i ?? 0) + 1 };
  const seen = `the header reads ${quoteList(cells)}`;

  if (choice !== 'wide' && longShape) {
    return { layout: 'long', columns: { unit, coder, value, field: field >= 0 ? field : null }, named: true };
  }
  if (choice === 'long') {
    if (odd.length > 0 || unit >= 0) {
      const missing = LONG_NAMES.filter((n) => at(n) < 0);
      throw new ReliabilityError('AMBIGUOUS_LAYOUT', `long layout requires the columns unit, coder and value, ${seen} (no ${quoteList(missing)})`, position);
    }
    if (cells.length < 3) {
      throw new ReliabilityError('MISSING_COLUMN', `long layout requires the columns unit, coder and value, the header has ${cells.length}`, {
        line,
        column: cells.length + 1,
      });
    }
    // A header of other names, under an explicit --layout long: the documented first three columns.
    return { layout: 'long', columns: { unit: 0, coder: 1, value: 2, field: null }, named: false };
  }
  if (odd.length > 0) {
    const names = quoteList(odd.map(({ i }) => cells[i] ?? ''));
    const hint = longShape
      ? 'it is a long file (unit, coder, value): leave out --layout wide'
      : 'a wide file has the unit id, then one column per coder; a long file names the columns unit, coder and value';
    throw new ReliabilityError('AMBIGUOUS_LAYOUT', `wide layout requires one column per coder, ${seen}: ${names} is no coder; ${hint}`, position);
  }
  return { layout: 'wide', firstCoder };
}
