export * from './train.js';
export * from './reevaluate.js';
export * from './pooled.js';
export * from './calibration.js';
