import { z } from 'zod';
import { PHASES } from '../roles.ts';
import { paginationSchema } from './common.ts';

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

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().default(null);

export const itemInput = z.object({
  externalId: z.string().trim().max(300).nullable().default(null),
  title: z.string().trim().min(1).max(2000),
  url: z.url().max(4000).nullable().default(null),
  platform: z.enum(PLATFORMS).nullable().default(null),
  author: z.string().trim().max(500).nullable().default(null),
  publishedAt: z.iso.datetime({ offset: true }).or(z.iso.date()).nullable().default(null),
  language: z.string().trim().max(35).nullable().default(null),
  body: z.string().max(1_000_000).default(''),
  reach: count,
  likes: count,
  shares: count,
  comments: count,
  incidentId: z.string().nullable().default(null),
});
export type ItemInput = z.infer<typeof itemInput>;
export const itemUpdateInput = itemInput.partial();

export const itemSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  externalId: z.string().nullable(),
  title: z.string(),
  url: z.string().nullable(),
  platform: z.enum(PLATFORMS).nullable(),
  author: z.string().nullable(),
  publishedAt: z.string().nullable(),
  language: z.string().nullable(),
  body: z.string(),
  reach: z.number().nullable(),
  likes: z.number().nullable(),
  shares: z.number().nullable(),
  comments: z.number().nullable(),
  incidentId: z.string().nullable(),
  phase: z.enum(PHASES),
  createdAt: z.string(),
});
export type Item = z.infer<typeof itemSchema>;

export const itemListQuery = paginationSchema.extend({
  incident: z.string().optional(),
  phase: z.enum(PHASES).optional(),
  coder: z.string().optional(),
  q: z.string().max(200).optional(),
});
export type ItemListQuery = z.infer<typeof itemListQuery>;

export const phaseUpdateInput = z.object({ phase: z.enum(PHASES) });

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
] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

/** target field -> CSV header. Unmapped targets default to a header of the same name, case-insensitively. */
export const importMappingSchema = z.partialRecord(z.enum(IMPORT_TARGETS), z.string().min(1).max(300));
export type ImportMapping = z.infer<typeof importMappingSchema>;

export const importResultSchema = z.object({
  importId: z.string(),
  inserted: z.number().int(),
  incidentsCreated: z.number().int(),
});
export type ImportResult = z.infer<typeof importResultSchema>;
