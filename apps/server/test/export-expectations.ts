/**
 * What the report's exports and charts should hold, recomputed in the tests from other
 * exports (never from the code under test): the matrix exports' numeric codes and the
 * charts' counting rule.
 */
import { parse } from 'csv-parse/sync';
import type { FieldDefinition, Item } from '@concord/shared';

export const csvRows = (csv: string) => parse(csv) as string[][];
export const csvRecords = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

export /** A wide/long cell as the matrix exports code it (see services/export/codes.ts), recomputed here. */
function expectedCode(f: FieldDefinition, cell: string): string | null {
  if (cell === '') return null;
  if (f.type === 'single_choice') return cell === 'NA' ? String(f.options.length + 1) : String(f.options.findIndex((o) => o.value === cell) + 1);
  return cell === 'NA' ? null : cell;
}

/**
 * The chart counting rule for one field: per revealed item, the decided (gold) value, else the
 * majority of the coders' values in the long export (per option for multiple choice); N/A counts
 * as no value. `long` and `goldRows` are that field's rows of the long codings and gold exports.
 */
export function chartValues(f: FieldDefinition, long: readonly Record<string, string>[], goldRows: readonly Record<string, string>[], items: readonly Item[]): Map<string, string[]> {
  const gold = new Map(goldRows.map((r) => [r.unit!, r.value!]));
  const votes = new Map<string, string[]>();
  for (const r of long) votes.set(r.unit!, [...(votes.get(r.unit!) ?? []), r.value!]);
  const out = new Map<string, string[]>();
  for (const item of items.filter((i) => i.phase === 'revealed')) {
    const cells = votes.get(item.id) ?? [];
    const more = (k: number) => k * 2 > cells.length;
    let value: string[] = [];
    if (gold.has(item.id)) value = gold.get(item.id)! === '' || gold.get(item.id) === 'NA' ? [] : gold.get(item.id)!.split('|').filter(Boolean);
    else if (f.type === 'multiple_choice') {
      if (!more(cells.filter((c) => c === 'NA').length)) value = f.options.map((o) => o.value).filter((o) => more(cells.filter((c) => c.split('|').includes(o)).length));
    } else {
      const top = [...new Set(cells)].find((c) => more(cells.filter((x) => x === c).length));
      value = top && top !== 'NA' ? [top] : [];
    }
    out.set(item.id, value);
  }
  return out;
}
