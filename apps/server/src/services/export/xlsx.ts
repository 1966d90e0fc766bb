/**
 * XLSX workbooks (exceljs) from the same tables the CSV files hold. Every cell is written as
 * a text or number value, never as a formula: exceljs stores a JavaScript string as a string
 * cell, which spreadsheets show as text and do not evaluate, so hostile text needs no `'`
 * here and arrives exactly as coded (exports.security.test.ts opens the files to check).
 * Plain numbers (a scale point, a numeric code) become number cells, so they sum and sort.
 *
 * exceljs is imported on the first workbook, not at start: it is the largest module the server
 * has (about 7.5 MB of V8 heap once loaded) and the live path never uses it (bench/README.md,
 * "Memory at start").
 */
import { PLAIN_NUMBER } from './csv.ts';

export interface Sheet {
  name: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** Columns whose plain numbers become number cells (the others stay text: ids like `007`). */
  numeric?: ReadonlySet<number>;
}

declare const xlsxBytes: unique symbol;
export type XlsxBytes = Uint8Array<ArrayBuffer> & { readonly [xlsxBytes]: true };

/** Excel's limit on a sheet name, and the characters it refuses in one. */
const SHEET_NAME_MAX = 31;
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, SHEET_NAME_MAX);

export async function xlsxWorkbook(sheets: readonly Sheet[]): Promise<XlsxBytes> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Concord';
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheetName(sheet.name), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow([...sheet.header]).font = { bold: true };
    for (const row of sheet.rows) {
      ws.addRow(row.map((cell, i) => (sheet.numeric?.has(i) && PLAIN_NUMBER.test(cell) ? Number(cell) : cell)));
    }
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer()) as XlsxBytes;
}
