export * from './metrics.js';
export * from './curves.js';
export * from './curve-points.js';
export * from './ranks.js';
export * from './calibration-metrics.js';
export * from './verdict.js';
export * from './bootstrap.js';
