/**
 * The item form's values as the API takes them, checked with the same shared schemas as the
 * import and the server (`itemInput`, `itemUpdateInput`), so a person sees each field's
 * problem before anything is sent.
 */
import { itemInput, PLATFORMS, type Item, type ItemInput, type Platform } from '@concord/shared';

/** Text inputs hold strings; empty means "none". */
export interface ItemFormValues {
  title: string;
  externalId: string;
  url: string;
  archivedUrl: string;
  platform: Platform | '';
  author: string;
  publishedAt: string;
  language: string;
  body: string;
  reach: string;
  likes: string;
  shares: string;
  comments: string;
  translationLanguage: string;
  translationTitle: string;
  translationBody: string;
  incidentIds: string[];
}

export const COUNT_FIELDS = ['reach', 'likes', 'shares', 'comments'] as const;

export function formValuesOf(item: Item | null): ItemFormValues {
  const n = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    title: item?.title ?? '',
    externalId: item?.externalId ?? '',
    url: item?.url ?? '',
    archivedUrl: item?.archivedUrl ?? '',
    platform: item?.platform ?? '',
    author: item?.author ?? '',
    publishedAt: item?.publishedAt ? item.publishedAt.slice(0, 10) : '',
    language: item?.language ?? '',
    body: item?.body ?? '',
    reach: n(item?.reach),
    likes: n(item?.likes),
    shares: n(item?.shares),
    comments: n(item?.comments),
    translationLanguage: item?.translationLanguage ?? '',
    translationTitle: item?.translationTitle ?? '',
    translationBody: item?.translationBody ?? '',
    incidentIds: item?.incidentIds ?? [],
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
/** A count as typed: empty is none, anything else must read as a number (the schema says which). */
const countOf = (s: string): number | null => (s.trim() === '' ? null : Number(s.replace(/[\s,]/g, '')));

/** The values checked: the API input, or the problem of each field by name. */
export function checkItemForm(values: ItemFormValues): { input: ItemInput } | { errors: Record<string, string> } {
  const raw = {
    title: values.title,
    externalId: orNull(values.externalId),
    url: orNull(values.url),
    archivedUrl: orNull(values.archivedUrl),
    platform: values.platform === '' ? null : values.platform,
    author: orNull(values.author),
    publishedAt: orNull(values.publishedAt),
    language: orNull(values.language),
    body: values.body,
    ...Object.fromEntries(COUNT_FIELDS.map((k) => [k, countOf(values[k])])),
    translationLanguage: orNull(values.translationLanguage),
    translationTitle: orNull(values.translationTitle),
    // The text as typed (its line breaks), none when blank.
    translationBody: values.translationBody.trim() === '' ? null : values.translationBody,
    incidentIds: values.incidentIds,
  };
  const parsed = itemInput.safeParse(raw);
  if (parsed.success) return { input: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= key in raw && COUNT_FIELDS.includes(key as never) ? 'must be a whole number, 0 or more' : issue.message;
  }
  return { errors };
}

export { PLATFORMS };
