export * from './client.ts';
export * from './migrate.ts';
export * from './schema/index.ts';
export * from './bulk-insert.ts';
export * from './migration-level.ts';
export * from './query-rows.ts';
export * from './statement.ts';
