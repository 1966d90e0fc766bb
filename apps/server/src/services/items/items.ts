/**
 * The item verbs, a file each; this module gathers them so callers keep one import path.
 */
export { loadItem, toItem, type ItemRecord } from './item-record.ts';
export { listItems } from './list-items.ts';
export { listItemRows } from './list-item-rows.ts';
export { getItem } from './get-item.ts';
export { createItem } from './create-item.ts';
export { updateItem } from './update-item.ts';
export { deleteItem } from './delete-item.ts';
export { setItemPhase } from './set-item-phase.ts';
export { restoreItem } from './restore-item.ts';
export { purgeItem } from './purge-item.ts';
export { bulkUpdateItems } from './bulk-update-items.ts';
export { getItemVersion, listItemVersions } from './item-versions.ts';
