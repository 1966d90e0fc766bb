/**
 * A small RFC 4180 CSV reader and writer for the import wizard's preview and cell fixes.
 * It numbers rows as the server's reader does (`services/import/csv-records.ts`: byte-order
 * mark dropped, empty lines skipped), so "row 3" in a problem is `rows[3]` here (rows[0] is the header).
 */

/** Parses CSV text into records. Quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  /** Whether the current line has any content (an empty line is skipped, not a record). */
  let started = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    if (started) {
      endField();
      records.push(record);
    }
    record = [];
    field = '';
    started = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      started = true;
    } else if (ch === ',') {
      started = true;
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      started = true;
      field += ch;
    }
  }
  endRecord();
  return records;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** Writes records as CSV (CRLF line ends), quoting only the fields that need it. */
export function toCsv(records: readonly (readonly string[])[]): string {
  const field = (f: string) => (NEEDS_QUOTES.test(f) ? `"${f.replaceAll('"', '""')}"` : f);
  return records.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
