export * from './config.js';
export * from './ingest.js';
export * from './run.js';
