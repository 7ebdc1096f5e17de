export * from './folds.js';
export * from './compare.js';
export * from './run.js';
export { compareFoldUnit, compareGroupUnit, compareRefitUnit } from './units.js';
export { checkSource, readSource, sourceKey, derivedKey, type UnitSource, type SourceReads } from './source.js';
