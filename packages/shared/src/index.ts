export * from './errors.ts';
export * from './ids.ts';
export * from './roles.ts';
export * from './items.ts';
export * from './schemas/index.ts';
export * from './values.ts';
export type * from './realtime.ts';
export * from './collab.ts';
