/**
 * The one CSV writer of the exports: RFC 4180 quoting plus formula neutralisation.
 *
 * Spreadsheets run a cell that begins with `=`, `+`, `-` or `@` (and some with a leading
 * tab, CR or LF, or the full-width forms of those signs) as a formula, so a comment, title
 * or label could call out to the network or a shell on the analyst's machine. As OWASP
 * recommends ("CSV Injection"), such a cell gets a leading `'`, which spreadsheets show as
 * text; a plain number (`-3`, `-0.5`, `+1e3`) stays as it is, so numeric codes and negative
 * scale points still read as numbers. Readers that need the raw text strip the one `'`.
 *
 * Exports return `CsvText`, which only `csvTable` makes, so a CSV cannot leave an export
 * without passing through here.
 */

declare const csvText: unique symbol;
/** Text produced by `csvTable`: every cell quoted as needed and neutralised. */
export type CsvText = string & { readonly [csvText]: true };

/** What a spreadsheet may read as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A number and nothing else: no operator, reference or function can hide in it. */
export const PLAIN_NUMBER = /^[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** The cell as a spreadsheet should show it: text that starts like a formula gets a leading `'`. */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

function quoted(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map((cell) => quoted(spreadsheetSafe(cell))).join(',')}\r\n`;
}

/** A whole CSV file: the header, then the rows, CRLF line ends. */
export function csvTable(header: readonly string[], rows: Iterable<readonly string[]>): CsvText {
  let out = csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out as CsvText;
}

/** UTF-8's byte-order mark: Excel reads a CSV as UTF-8 only when it starts with one. */
const BOM = '\uFEFF';

/** The file with a byte-order mark (the `?bom=1` option of every CSV download). */
export function withBom(csv: CsvText): CsvText {
  return (BOM + csv) as CsvText;
}
