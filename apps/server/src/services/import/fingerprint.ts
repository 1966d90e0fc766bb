/**
 * A row's fingerprint: MD5 over the values an import would compare (the targets the file has a
 * column for, and the raw cells), computed the same way by PostgreSQL from an item's columns
 * and here from a converted row. Equal fingerprints mean an unchanged row, so re-importing
 * 100,000 rows reads three short columns per item instead of whole items; only rows whose
 * fingerprints differ are fetched and compared field by field (match.ts). MD5 is a checksum
 * here, not a defence: a collision would only make a row look unchanged to its own importer.
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { itemIncidents, items } from '@concord/db';
import type { ImportTarget } from '@concord/shared';
import type { ImportedItem, ResolvedMapping } from './row.ts';

/** Separates values; NULL is its own marker, so null and '' differ. */
const SEP = '\x1f';
const NULL = '\x1e';

/** Each compared target as text, in a fixed order. `incident` compares the item's incident ids in order (item_incidents). */
const TARGET_SQL: [Exclude<ImportTarget, 'externalId'>, SQL][] = [
  ['title', sql`${items.title}`],
  ['url', sql`${items.url}`],
  ['platform', sql`${items.platform}`],
  ['author', sql`${items.author}`],
  ['publishedAt', sql`(extract(epoch from ${items.publishedAt}) * 1000)::bigint::text`],
  ['language', sql`${items.language}`],
  ['body', sql`${items.body}`],
  ['reach', sql`${items.reach}::text`],
  ['likes', sql`${items.likes}::text`],
  ['shares', sql`${items.shares}::text`],
  ['comments', sql`${items.comments}::text`],
  ['translationLanguage', sql`${items.translationLanguage}`],
  ['translationTitle', sql`${items.translationTitle}`],
  ['translationBody', sql`${items.translationBody}`],
  [
    'incident',
    sql`(select string_agg(${itemIncidents.incidentId}, ',' order by ${itemIncidents.position}) from ${itemIncidents} where ${itemIncidents.itemId} = ${items.id})`,
  ],
];

const present = (columns: ResolvedMapping) => TARGET_SQL.filter(([t]) => columns[t] !== undefined);

/** The fingerprint of an item's stored values, as an SQL expression, for the file's columns. */
export function fingerprintSql(columns: ResolvedMapping): SQL<string> {
  const parts = [...present(columns).map(([, expr]) => sql`coalesce(${expr}, ${NULL})`), sql`coalesce(${items.raw}::text, ${NULL})`];
  return sql<string>`md5(concat_ws(${SEP}, ${sql.join(parts, sql`, `)}))`;
}

function valueOf(item: ImportedItem, target: Exclude<ImportTarget, 'externalId'>, incidentId: (name: string) => string | undefined): string | null {
  switch (target) {
    case 'attachments':
      return null; // compared through the raw cells, as links are not item columns
    case 'publishedAt':
      return item.publishedAt ? String(item.publishedAt.getTime()) : null;
    case 'incident':
      // A name the project does not have yet cannot match a stored id.
      return item.incidentNames.length ? item.incidentNames.map((name) => incidentId(name) ?? `${NULL}new`).join(',') : null;
    case 'actors':
      // Actors are records of their own, not item columns (no TARGET_SQL entry): never compared.
      return null;
    case 'reach':
    case 'likes':
    case 'shares':
    case 'comments':
      return item[target] === null ? null : String(item[target]);
    default:
      return item[target];
  }
}

/** The same fingerprint for converted rows (their raw cells as they would be stored); the file's targets are looked up once. */
export function rowFingerprinter(columns: ResolvedMapping, incidentId: (name: string) => string | undefined): (item: ImportedItem) => string {
  const targets = present(columns).map(([t]) => t);
  return (item) => {
    let text = '';
    for (const t of targets) text += (valueOf(item, t, incidentId) ?? NULL) + SEP;
    return createHash('md5').update(text + JSON.stringify(item.raw)).digest('hex');
  };
}
