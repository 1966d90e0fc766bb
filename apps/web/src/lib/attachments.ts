/**
 * An item's attachments from the browser: the list and delete through the typed client, the
 * upload as the file itself (the API reads its type from the bytes, so none is claimed here).
 */
import type { Attachment } from '@concord/shared';
import { api, unwrap } from './api.ts';
import { toApiError } from './errors.ts';

export const attachmentsPath = (projectId: string, itemId: string) => `/api/projects/${encodeURIComponent(projectId)}/items/${encodeURIComponent(itemId)}/attachments`;

/** Where a stored file downloads (images: also their thumbnail). */
export const attachmentHref = (projectId: string, a: Pick<Attachment, 'id' | 'itemId'>) => `${attachmentsPath(projectId, a.itemId)}/${encodeURIComponent(a.id)}`;

export async function listAttachments(origin: string, projectId: string, itemId: string): Promise<Attachment[]> {
  const client = api(origin).api.projects[':projectId'].items[':itemId'].attachments;
  return (await unwrap(client.$get({ param: { projectId, itemId } }))).attachments;
}

export async function uploadAttachment(origin: string, projectId: string, itemId: string, file: File): Promise<Attachment> {
  const res = await fetch(`${origin}${attachmentsPath(projectId, itemId)}?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: file,
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw toApiError(res.status, body);
  return body as Attachment;
}

export async function deleteAttachment(origin: string, projectId: string, a: Pick<Attachment, 'id' | 'itemId'>): Promise<void> {
  const client = api(origin).api.projects[':projectId'].items[':itemId'].attachments[':attachmentId'];
  await unwrap(client.$delete({ param: { projectId, itemId: a.itemId, attachmentId: a.id } }));
}

/** What kind of file, in words, for the list. */
export function describeType(a: Pick<Attachment, 'kind' | 'mediaType'>): string {
  if (a.kind === 'link') return 'link';
  switch (a.mediaType) {
    case 'application/pdf':
      return 'PDF';
    case 'text/html':
      return 'HTML snapshot';
    case 'multipart/related':
      return 'web archive';
    case 'text/plain':
      return 'text';
    default:
      return (a.mediaType ?? '').replace('image/', '').toUpperCase() + ' image';
  }
}
