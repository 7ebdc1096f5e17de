import { compareFoldUnit, compareGroupUnit, compareRefitUnit } from '../compare/index.js';
import type { UnitHandler, UnitTable } from '../exec/index.js';
import { featuresFileUnit } from './features.js';
import { predictFileUnit } from './predict.js';
import { backtestRefitUnit } from './backtest.js';

/**
 * The fixed whitelist of unit kinds any backend (this process, worker threads, `mm worker`) runs.
 * A job names one of these and carries plain parameters; nothing else is ever looked up or loaded.
 */
export const UNITS: UnitTable = new Map<string, UnitHandler>([
  ['compare.fold', compareFoldUnit],
  ['compare.refit', compareRefitUnit],
  ['compare.group', compareGroupUnit],
  ['features.file', featuresFileUnit],
  ['predict.file', predictFileUnit],
  ['backtest.refit', backtestRefitUnit],
]);

export const UNIT_KINDS: readonly string[] = [...UNITS.keys()];
export type { FeaturesUnitParams, FeaturesUnitResult } from './features.js';
export type { PredictUnitParams } from './predict.js';
