export * from './common.ts';
export * from './auth.ts';
export * from './codebook.ts';
export * from './coding.ts';
export * from './project.ts';
export * from './item.ts';
export * from './assignment.ts';
export * from './review.ts';
