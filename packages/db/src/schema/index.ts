export * from './accounts.ts';
export * from './projects.ts';
export * from './items.ts';
export * from './coding.ts';
export * from './collab.ts';
export * from './mail.ts';
export * from './pseudonyms.ts';
export * from './actors.ts';
