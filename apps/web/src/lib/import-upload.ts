import type { DateOrder, ImportCheck, ImportCodesInput, ImportMapping, ImportResult } from '@concord/shared';
import { api } from './api.ts';
import { toApiError } from './errors.ts';

export interface ImportRequest {
  origin: string;
  projectId: string;
  mapping: ImportMapping;
  /** Columns holding codes already made, and whose they are. */
  codes?: ImportCodesInput | undefined;
  skipRows: readonly number[];
  /** How the file's slash dates read, once the person has chosen. */
  dateOrder?: DateOrder | undefined;
  filename: string;
  /** The original file, or the fixed CSV text. */
  body: Blob | string;
}

function query(req: ImportRequest) {
  return {
    mapping: JSON.stringify(req.mapping),
    ...(req.codes ? { codes: JSON.stringify(req.codes) } : {}),
    filename: req.filename.slice(0, 300),
    ...(req.skipRows.length ? { skipRows: req.skipRows.join(',') } : {}),
    ...(req.dateOrder ? { dateOrder: req.dateOrder } : {}),
  };
}

/**
 * POSTs the CSV with XMLHttpRequest, whose upload events give the progress bar (fetch has
 * none). The URL comes from the typed client; errors become ApiError like `unwrap`.
 */
function send<T>(url: URL, body: Blob | string, onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url.href);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.responseType = 'text';
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON (a proxy's page): toApiError describes the status instead.
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else reject(toApiError(xhr.status, parsed));
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.send(body);
  });
}

/** The dry run: what the import would do and its problems; nothing is written. */
export function checkImport(req: ImportRequest): Promise<ImportCheck> {
  const url = api(req.origin).api.projects[':projectId'].import['dry-run'].$url({ param: { projectId: req.projectId }, query: query(req) });
  return send<ImportCheck>(url, req.body);
}

/** The import itself (all or nothing, skipped rows left out), reporting upload progress 0..1. */
export function runImport(req: ImportRequest, onProgress: (fraction: number) => void): Promise<ImportResult> {
  const url = api(req.origin).api.projects[':projectId'].import.$url({ param: { projectId: req.projectId }, query: query(req) });
  return send<ImportResult>(url, req.body, onProgress);
}

/** "Row 2, column Reach: "many" is not a whole number" (row and column when the server names them). */
export function problemText(problem: { row?: number | undefined; column?: string | undefined; message: string }): string {
  const where = [problem.row !== undefined ? `Row ${problem.row}` : '', problem.column ? `column ${problem.column}` : ''].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}
