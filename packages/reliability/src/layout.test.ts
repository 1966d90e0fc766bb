/**
 * The layout is read from the header, never guessed: the project's long export is read one
 * field at a time, and headers that fit neither layout as asked are refused with their line.
 */
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from './krippendorff-alpha.ts';
import { parseReliabilityCsv, type ParseReliabilityCsvOptions } from './parse.ts';
import { errorOf } from './test-helpers.ts';

/** Two fields coded by three coders, as the project's export writes them (unit, coder, field order). */
const impact: Record<string, (string | null)[]> = { u1: ['1', '1', '2'], u2: ['3', '3', '3'], u3: ['2', null, '2'], u4: ['1', '2', '1'] };
const frame: Record<string, (string | null)[]> = { u1: ['a', 'a', 'a'], u2: ['b', 'a', 'b'], u3: [null, 'c', 'c'], u4: ['a', 'a', 'b'] };
const CODERS = ['C1', 'C2', 'C3'];

function longExport(extraColumns = false): string {
  const lines = [extraColumns ? 'unit,external_id,title,coder,field,value' : 'unit,coder,field,value'];
  for (const unit of Object.keys(impact)) {
    CODERS.forEach((coder, c) => {
      for (const [field, table] of [['civic_impact', impact], ['frame', frame]] as const) {
        const value = table[unit]![c];
        if (value === null || value === undefined) continue;
        lines.push(extraColumns ? `${unit},ext-${unit},"Title, of ${unit}",${coder},${field},${value}` : `${unit},${coder},${field},${value}`);
      }
    });
  }
  return `${lines.join('\n')}\n`;
}

function wideOf(table: Record<string, (string | null)[]>): string {
  return `unit,${CODERS.join(',')}\n${Object.entries(table)
    .map(([unit, row]) => [unit, ...row.map((x) => x ?? '')].join(','))
    .join('\n')}\n`;
}

const alphaOf = (csv: string, options: ParseReliabilityCsvOptions & { readonly sets?: false }) =>
  krippendorffAlpha({ data: parseReliabilityCsv(csv, options).data, level: 'nominal' }).value;

describe('layout by header', () => {
  it('reads unit,coder,value as long without being told', () => {
    const parsed = parseReliabilityCsv('unit,coder,value\nu1,A,a\nu1,B,a\nu2,A,b\nu2,B,a\n', {});
    expect(parsed.layout).toBe('long');
    expect(parsed.data.coders).toEqual(['A', 'B']);
    expect(parsed.units).toEqual(['u1', 'u2']);
  });

  it('reads one field of the project export with --field, equal to the wide file of that field', () => {
    for (const extra of [false, true]) {
      const csv = longExport(extra);
      expect(alphaOf(csv, { field: 'civic_impact' })).toBeCloseTo(alphaOf(wideOf(impact), {})!, 12);
      expect(alphaOf(csv, { field: 'frame' })).toBeCloseTo(alphaOf(wideOf(frame), {})!, 12);
      expect(parseReliabilityCsv(csv, { field: 'frame' }).data.nCoders).toBe(3);
    }
  });

  it('refuses a multi-field long file without a field, naming the line where the second field starts and every field', () => {
    const error = errorOf(() => parseReliabilityCsv(longExport(), {}));
    expect(error).toMatchObject({ code: 'MULTIPLE_FIELDS', line: 3, column: 3 });
    expect(error.message).toContain('"civic_impact", "frame"');
    expect(error.message).toContain('--field');
    // Also when the layout is asked for.
    expect(errorOf(() => parseReliabilityCsv(longExport(), { layout: 'long' })).code).toBe('MULTIPLE_FIELDS');
  });

  it('reads a long file holding one field without --field', () => {
    const oneField = longExport()
      .split('\n')
      .filter((l) => !l.includes(',frame,'))
      .join('\n');
    expect(alphaOf(oneField, {})).toBeCloseTo(alphaOf(wideOf(impact), {})!, 12);
  });

  it('refuses a field the file does not hold, listing those it does', () => {
    const error = errorOf(() => parseReliabilityCsv(longExport(), { field: 'impact' }));
    expect(error.code).toBe('UNKNOWN_FIELD');
    expect(error.message).toContain('"civic_impact", "frame"');
  });

  it('refuses --field on a file with no field column', () => {
    expect(errorOf(() => parseReliabilityCsv(wideOf(impact), { field: 'civic_impact' }))).toMatchObject({ code: 'MISSING_COLUMN', line: 1 });
    expect(errorOf(() => parseReliabilityCsv('unit,coder,value\nu1,A,a\nu1,B,a\n', { field: 'x' })).code).toBe('MISSING_COLUMN');
  });

  it('refuses a long header read as wide, instead of counting its columns as coders', () => {
    const error = errorOf(() => parseReliabilityCsv(longExport(), { layout: 'wide' }));
    expect(error).toMatchObject({ code: 'AMBIGUOUS_LAYOUT', line: 1, column: 2 });
    expect(error.message).toContain('"unit", "coder", "field", "value"');
  });

  it('refuses a header with some long-layout names but not all, wherever it stands', () => {
    const csv = '\n\nunit,coder,code\nu1,A,a\nu1,B,a\n';
    expect(errorOf(() => parseReliabilityCsv(csv, {}))).toMatchObject({ code: 'AMBIGUOUS_LAYOUT', line: 3, column: 2 });
    expect(errorOf(() => parseReliabilityCsv(csv, { layout: 'long' })).message).toContain('(no "value")');
  });

  it("skips the wide export's leading item columns, and refuses one among the coders", () => {
    const withItems = `unit,external_id,title,incidents,platform,published_at,url,${CODERS.join(',')}\n${Object.entries(impact)
      .map(([unit, row]) => [unit, `ext-${unit}`, `"Title, ${unit}"`, 'A; B', 'Telegram', '2024-01-05', 'https://example.org/x', ...row.map((x) => x ?? '')].join(','))
      .join('\n')}\n`;
    const parsed = parseReliabilityCsv(withItems, { sets: false });
    expect(parsed.data.coders).toEqual(CODERS);
    expect(alphaOf(withItems, {})).toBeCloseTo(alphaOf(wideOf(impact), {})!, 12);
    // `?itemVersions=1` puts each coder's item_version_<coder> column between the item columns and the coders.
    const versioned = `unit,external_id,${CODERS.map((c) => `item_version_${c}`).join(',')},${CODERS.join(',')}\n${Object.entries(impact)
      .map(([unit, row]) => [unit, `ext-${unit}`, ...row.map((x) => (x === null ? '' : '2')), ...row.map((x) => x ?? '')].join(','))
      .join('\n')}\n`;
    expect(parseReliabilityCsv(versioned, { sets: false }).data.coders).toEqual(CODERS);
    expect(alphaOf(versioned, {})).toBeCloseTo(alphaOf(wideOf(impact), {})!, 12);
    const error = errorOf(() => parseReliabilityCsv('unit,C1,title,C2\nu1,a,x,a\n', {}));
    expect(error).toMatchObject({ code: 'AMBIGUOUS_LAYOUT', line: 1, column: 3 });
    expect(error.message).toContain('"title" is no coder');
  });

  it('refuses a wide file whose coders are named like the long columns (no unit has two rows)', () => {
    const error = errorOf(() => parseReliabilityCsv('unit,coder,value\nu1,a,a\nu2,b,a\nu3,a,b\n', {}));
    expect(error).toMatchObject({ code: 'AMBIGUOUS_LAYOUT', line: 1, column: 2 });
    // Said to be long, it is read as long.
    expect(parseReliabilityCsv('unit,coder,value\nu1,a,a\nu2,b,a\n', { layout: 'long' }).data.nUnits).toBe(2);
  });

  it('keeps the first three columns of an unnamed header when told it is long', () => {
    const parsed = parseReliabilityCsv('item,rater,code\nu1,A,a\nu1,B,b\n', { layout: 'long' });
    expect(parsed.data.coders).toEqual(['A', 'B']);
  });

  it('reads a wide file as before', () => {
    const parsed = parseReliabilityCsv(wideOf(impact), {});
    expect(parsed.layout).toBe('wide');
    expect(parsed.data.coders).toEqual(CODERS);
  });
});
