/**
 * Which bodies a route takes. JSON routes take only `application/json` (a form post or a
 * `text/plain` fetch from another site is not JSON, and an unparsed body must never reach a
 * handler); the import upload takes its documented types. Anything else is 415.
 */
import type { MiddlewareHandler } from 'hono';
import { ATTACHMENT_MEDIA_TYPES } from '@concord/shared';
import { AppError } from '../errors.ts';
import type { AppEnv } from './env.ts';

/** The import upload and its dry run: one path, one size limit (CONCORD_MAX_IMPORT_BYTES), one set of types. */
const IMPORT_UPLOAD = /^\/api\/projects\/[^/]+\/import(?:\/dry-run)?$/;

export const isImportUpload = (path: string): boolean => IMPORT_UPLOAD.test(path);

/** An attachment upload: the body is the file, up to CONCORD_ATTACHMENT_MAX_BYTES, counted by the route. */
const ATTACHMENT_UPLOAD = /^\/api\/projects\/[^/]+\/items\/[^/]+\/attachments$/;

export const isAttachmentUpload = (method: string, path: string): boolean => method === 'POST' && ATTACHMENT_UPLOAD.test(path);

/** The file's own type or octet-stream: either way the stored type is read from the bytes. */
const ATTACHMENT_UPLOAD_TYPES = new Set<string>(['application/octet-stream', ...ATTACHMENT_MEDIA_TYPES]);

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

function hasBody(headers: Headers): boolean {
  const length = headers.get('content-length');
  return headers.has('transfer-encoding') || (length !== null && length !== '0');
}

export function requireContentType(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const type = mediaType(c.req.header('content-type'));
    if (isImportUpload(c.req.path)) {
      const expected = c.req.query('format') === 'json' ? 'application/json' : 'text/csv';
      if (type !== expected) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `the upload must be sent as ${expected}`);
    } else if (isAttachmentUpload(c.req.method, c.req.path)) {
      if (!type || !ATTACHMENT_UPLOAD_TYPES.has(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the file as application/octet-stream (its type is read from its bytes)');
    } else if ((type !== null || hasBody(c.req.raw.headers)) && type !== 'application/json') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json');
    }
    return next();
  };
}
