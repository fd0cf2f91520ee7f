export * from './pixels';
export * from './jobs';
export * from './frame';
export * from './http';
export * from './seeded-random';
export * from './version';
