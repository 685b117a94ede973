export * from './data-source';
export * from './database-errors';
export * from './database-url';
export * from './embedded-postgres';
export * from './entity-rows';
export * from './pg-pool';
export * from './test-database';
export * from './typeorm-logger';
