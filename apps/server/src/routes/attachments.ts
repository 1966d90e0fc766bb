import { createRoute } from '@hono/zod-openapi';
import { attachmentListSchema, attachmentSchema, attachmentUploadQuery, isInlineAttachment, okSchema, text, type Attachment } from '@concord/shared';
import { newRouter, serviceContext, type AppDeps } from '../http/env.ts';
import { limitedBody } from '../http/body.ts';
import { addAttachment, deleteAttachment, getAttachmentFile, listAttachments } from '../services/attachments/attachments.ts';
import { errorResponse, errors, itemParams, jsonContent } from './schemas.ts';

const attachmentParams = itemParams.extend({ attachmentId: text().max(100) });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/attachments',
    summary: 'The item\'s attachments (files with type, size and SHA-256, and imported links), oldest first',
    request: { params: itemParams },
    responses: { 200: jsonContent(attachmentListSchema), ...errors },
  }),
  upload: createRoute({
    method: 'post',
    path: '/{projectId}/items/{itemId}/attachments',
    summary:
      'Attach a file (the body, sent as application/octet-stream; `name` in the query): an image, PDF, HTML page or archive, or UTF-8 text, told by its bytes (415 otherwise), up to CONCORD_ATTACHMENT_MAX_BYTES (413 above)',
    request: { params: itemParams, query: attachmentUploadQuery, body: { content: { 'application/octet-stream': { schema: text() } } } },
    responses: { 201: jsonContent(attachmentSchema), ...errors, 413: errorResponse, 415: errorResponse },
  }),
  download: createRoute({
    method: 'get',
    path: '/{projectId}/items/{itemId}/attachments/{attachmentId}',
    summary: 'Download an attachment\'s bytes: images inline, everything else (PDF, HTML, text) as a download, never rendered on this origin',
    request: { params: attachmentParams },
    responses: {
      200: { content: { 'application/octet-stream': { schema: text() } }, description: 'the file' },
      304: { description: 'not modified: the caller may still read it, and its copy (If-None-Match, the SHA-256 ETag) is current' },
      ...errors,
      409: errorResponse,
    },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{projectId}/items/{itemId}/attachments/{attachmentId}',
    summary: 'Delete an attachment (owners and editors; audited)',
    request: { params: attachmentParams },
    responses: { 200: jsonContent(okSchema), ...errors },
  }),
};

/** `name` as a header value: an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 8187). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/**
 * How a file leaves: raster images inline (thumbnails, a new tab), the rest as a download, so
 * an HTML snapshot or a PDF never renders on our origin (the API's CSP, default-src 'none',
 * would stop its scripts even then). nosniff holds the browser to the sniffed type.
 */
function fileHeaders(a: Attachment): Record<string, string> {
  const type = a.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : a.mediaType!;
  return {
    'content-type': type,
    'content-disposition': contentDisposition(isInlineAttachment(a.mediaType) ? 'inline' : 'attachment', a.name),
    'x-content-type-options': 'nosniff',
    // Revalidated at every use (a 304 when the ETag matches): a browser never shows a copy once
    // its user lost access, was removed or signed out on a shared computer (SECURITY.md).
    'cache-control': 'private, no-cache',
    etag: etagOf(a),
  };
}

const etagOf = (a: Attachment) => `"${a.sha256}"`;

/** If-None-Match (RFC 9110 13.1.2, weak comparison) names this ETag, or is `*`. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

export function attachmentRoutes(deps: AppDeps) {
  const settings = deps.config.attachments;
  return newRouter()
    .openapi(routes.list, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      return c.json({ attachments: await listAttachments({ ctx: serviceContext(deps, c), projectId, itemId }) }, 200);
    })
    .openapi(routes.upload, async (c) => {
      const { projectId, itemId } = c.req.valid('param');
      const body = limitedBody(c.req.raw, settings.maxBytes);
      return c.json(await addAttachment({ ctx: serviceContext(deps, c), projectId, itemId, input: { name: c.req.valid('query').name, body }, settings }), 201);
    })
    .openapi(routes.download, async (c) => {
      const { projectId, itemId, attachmentId } = c.req.valid('param');
      const { attachment, readBytes } = await getAttachmentFile({ ctx: serviceContext(deps, c), projectId, itemId, attachmentId, settings });
      if (matchesIfNoneMatch(c.req.header('if-none-match'), etagOf(attachment))) return c.body(null, 304, fileHeaders(attachment));
      // A copy on an ArrayBuffer of its own: what a response body takes (the driver may hand out a view of a larger buffer).
      return c.body(new Uint8Array(await readBytes()), 200, fileHeaders(attachment));
    })
    .openapi(routes.remove, async (c) => {
      const { projectId, itemId, attachmentId } = c.req.valid('param');
      await deleteAttachment({ ctx: serviceContext(deps, c), projectId, itemId, attachmentId, settings });
      return c.json({ ok: true as const }, 200);
    });
}
