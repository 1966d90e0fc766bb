/**
 * What the report's exports should hold, recomputed in the tests from other exports
 * (never from the code under test): the matrix exports' numeric codes.
 */
import { parse } from 'csv-parse/sync';
import type { FieldDefinition } from '@concord/shared';

export const csvRows = (csv: string) => parse(csv) as string[][];
export const csvRecords = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

export /** A wide/long cell as the matrix exports code it (see services/export/codes.ts), recomputed here. */
function expectedCode(f: FieldDefinition, cell: string): string | null {
  if (cell === '') return null;
  if (f.type === 'single_choice') return cell === 'NA' ? String(f.options.length + 1) : String(f.options.findIndex((o) => o.value === cell) + 1);
  return cell === 'NA' ? null : cell;
}
