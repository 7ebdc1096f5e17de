export * from './history.js';
export * from './predict.js';
export * from './load.js';
export * from './predict-file.js';
export * from './walk-forward.js';
export * from './predict-many.js';
export * from './confidence.js';
