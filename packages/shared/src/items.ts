/**
 * Item constants without zod, so web pages that only need them (the items table, the import
 * wizard) do not pull the schemas into their bundle (zod's top-level schemas are not tree-shaken).
 */

export const PLATFORMS = [
  'news',
  'facebook',
  'twitter',
  'instagram',
  'telegram',
  'youtube',
  'tiktok',
  'vk',
  'website',
  'report',
  'other',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Spellings seen in Airtable exports, mapped to our platform values. */
const PLATFORM_ALIASES: Record<string, Platform> = {
  x: 'twitter',
  'x (twitter)': 'twitter',
  tweet: 'twitter',
  fb: 'facebook',
  ig: 'instagram',
  'news article': 'news',
  article: 'news',
  'news media': 'news',
  blog: 'website',
  web: 'website',
  vkontakte: 'vk',
};

export function parsePlatform(raw: string): Platform | null {
  const key = raw.trim().toLowerCase();
  if ((PLATFORMS as readonly string[]).includes(key)) return key as Platform;
  return PLATFORM_ALIASES[key] ?? null;
}

/** Item columns a CSV column can be mapped to. `incident` takes an incident name. */
export const IMPORT_TARGETS = [
  'externalId',
  'title',
  'url',
  'platform',
  'author',
  'publishedAt',
  'language',
  'body',
  'reach',
  'likes',
  'shares',
  'comments',
  'incident',
  /** The project's actors a row names (a linked-record list): missing ones are created, known names and aliases reused. */
  'actors',
  'translationLanguage',
  'translationTitle',
  'translationBody',
  /** Airtable attachment cells (`name (url), …`): recorded as attachment links, never fetched. */
  'attachments',
  /** The archived copy of the original (an http(s) URL, as `archivedUrl` in the API). */
  'archivedUrl',
] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

/** How a file's slash dates (`7/5/2024`) are read: day/month or month/day. Never guessed when a file cannot tell. */
export const DATE_ORDERS = ['dmy', 'mdy'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

/** What an import does with a row: a new item, an update of the item with its external id, or nothing. */
export const IMPORT_ACTIONS = ['create', 'update', 'unchanged'] as const;
export type ImportAction = (typeof IMPORT_ACTIONS)[number];

/** Most rows the item table endpoint returns in one answer (the import limit). */
export const MAX_ITEM_ROWS = 100_000;
