/** How export files leave the API: their OpenAPI responses and headers, one place for every export route. */
import type { Context } from 'hono';
import { text } from '@concord/shared';
import { withBom, type CsvText } from '../services/export/csv.ts';
import type { XlsxBytes } from '../services/export/xlsx.ts';
import { errors } from './schemas.ts';

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const fileResponses = (type: string, description: string) => ({ 200: { content: { [type]: { schema: text() } }, description }, ...errors });
export const csvResponses = (description: string) => fileResponses('text/csv', description);
export const xlsxResponses = (description: string) => fileResponses(XLSX_TYPE, description);

export const attachment = (type: string, name: string) => ({ 'content-type': type, 'content-disposition': `attachment; filename="${name}"` });

/** A CSV download; `bom: '1'` (the `?bom=1` option) starts it with a UTF-8 byte-order mark. */
export function sendCsv(c: Context, csv: CsvText, name: string, bom: '0' | '1') {
  return c.body(bom === '1' ? withBom(csv) : csv, 200, attachment(CSV_TYPE, name));
}

export function sendXlsx(c: Context, bytes: XlsxBytes, name: string) {
  return c.body(bytes, 200, attachment(XLSX_TYPE, name));
}
