/**
 * A row's fingerprint: MD5 over the values an import would compare (the targets the file has a
 * column for, and the raw cells), computed the same way by PostgreSQL from an item's columns
 * and here from a converted row. Equal fingerprints mean an unchanged row, so re-importing
 * 100,000 rows reads three short columns per item instead of whole items; only rows whose
 * fingerprints differ are fetched and compared field by field (match.ts). MD5 is a checksum
 * here, not a defence: a collision would only make a row look unchanged to its own importer.
 */
import { hash } from 'node:crypto';
import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { itemIncidents, items, type Db } from '@concord/db';
import type { ImportTarget } from '@concord/shared';
import type { ImportedItem, ResolvedMapping } from './row.ts';

/** Separates values; NULL is its own marker, so null and '' differ. */
const SEP = '\x1f';
const NULL = '\x1e';

/** Each compared target as text, in a fixed order. `incident` compares the item's incident ids in order (item_incidents). */
const TARGET_SQL: [Exclude<ImportTarget, 'externalId'>, SQL][] = [
  ['title', sql`${items.title}`],
  ['url', sql`${items.url}`],
  ['archivedUrl', sql`${items.archivedUrl}`],
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
  // The item's incident ids in order, from the join in storedFingerprints (LINKED_IDS).
  ['incident', sql`linked.ids`],
];

const present = (columns: ResolvedMapping) => TARGET_SQL.filter(([t]) => columns[t] !== undefined);

/** The fingerprint of an item's stored values, as an SQL expression over `items` joined to `linked` (storedFingerprints). */
function fingerprintSql(columns: ResolvedMapping): SQL<string> {
  const parts = [...present(columns).map(([, expr]) => sql`coalesce(${expr}, ${NULL})`), sql`coalesce(${items.raw}::text, ${NULL})`];
  return sql<string>`md5(concat_ws(${SEP}, ${sql.join(parts, sql`, `)}))`;
}

/** A JSON list of strings as an SQL set: one parameter instead of one per value (PostgreSQL caps both). */
export const jsonSet = (values: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/**
 * The project's items with external ids (those in `externalIds` when given): id, external id and
 * fingerprint. The incident lists come from one grouped scan of the project's links joined in,
 * not a subquery per item (which was most of a 100,000-row re-import: an index scan and a sort
 * per item).
 */
export async function storedFingerprints(db: Db, projectId: string, columns: ResolvedMapping, externalIds: string[] | null) {
  const linked =
    columns.incident === undefined
      ? sql`(select null::text as item_id, null::text as ids where false)`
      : sql`(select ${itemIncidents.itemId} as item_id, string_agg(${itemIncidents.incidentId}, ',' order by ${itemIncidents.position}) as ids
          from ${itemIncidents} join ${items} on ${items.id} = ${itemIncidents.itemId} and ${items.projectId} = ${projectId}
          group by ${itemIncidents.itemId})`;
  return db
    .select({ id: items.id, externalId: items.externalId, fingerprint: fingerprintSql(columns) })
    .from(items)
    .leftJoin(sql`${linked} as linked`, sql`linked.item_id = ${items.id}`)
    .where(and(eq(items.projectId, projectId), isNotNull(items.externalId), externalIds ? sql`${items.externalId} in ${jsonSet(externalIds)}` : undefined));
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
    // One-shot hash: createHash's Hash object per row cost about twice as much CPU (bench/README.md, "Import").
    return hash('md5', text + JSON.stringify(item.raw), 'hex');
  };
}
