import { Flags } from '@oclif/core';
import { UsageError } from '../core/errors.js';
import { symbolFlag } from '../core/data/index.js';
import { DEFAULT_SEED } from '../core/util/rng.js';

/** A decimal flag (oclif has integers only); a non-number is a parse error, so exit 2. */
export const numberFlag = Flags.custom<number>({
  parse: async (input) => {
    const v = Number(input);
    if (input.trim() === '' || !Number.isFinite(v)) throw new UsageError(`expected a number, got "${input}"`);
    return v;
  },
});

/** Shared flags; commands spread the groups they need. */
export const registryFlag = {
  registry: Flags.string({
    description: 'registry directory holding runs and aliases',
    env: 'MM_REGISTRY',
    default: './runs',
    helpGroup: 'REGISTRY',
  }),
};

export const readFlags = {
  tz: Flags.string({ description: 'IANA zone for timestamps without an offset (e.g. America/New_York)' }),
  symbol: Flags.string({
    description: 'symbol to use instead of the symbol column or file name',
    // The symbol grammar is checked at parse time, so a bad value is a usage error (exit 2).
    parse: async (input) => symbolFlag(input),
  }),
};

export const outFlag = {
  out: Flags.string({ char: 'o', description: 'write the table as CSV to this file (atomic)' }),
};

export const seedFlag = {
  seed: Flags.integer({ description: 'random seed (recorded in the run)', default: DEFAULT_SEED }),
};

export const windowFlag = {
  window: Flags.integer({ char: 'w', description: 'warm-up window W for the rolling features (12-60)', default: 20 }),
};

export const labelFlags = {
  scheme: Flags.string({ description: 'threshold scheme', options: ['fixed', 'quantile', 'vol'], default: 'quantile', helpGroup: 'LABELS' }),
  horizon: Flags.integer({ description: 'bars ahead for the forward return', default: 1, helpGroup: 'LABELS' }),
  t1: numberFlag({ description: 'fixed: inner threshold as a return (0.001 = 0.1%)', helpGroup: 'LABELS' }),
  t2: numberFlag({ description: 'fixed: outer threshold', helpGroup: 'LABELS' }),
  q1: numberFlag({ description: 'quantile: quantile of |r| for the inner threshold (default 0.4)', helpGroup: 'LABELS' }),
  q2: numberFlag({ description: 'quantile: quantile of |r| for the outer threshold (default 0.8)', helpGroup: 'LABELS' }),
  k1: numberFlag({ description: 'vol: inner threshold in rolling σ (default 0.5)', helpGroup: 'LABELS' }),
  k2: numberFlag({ description: 'vol: outer threshold in rolling σ (default 1.5)', helpGroup: 'LABELS' }),
  'vol-window': Flags.integer({ description: 'vol: bars in the rolling σ (default 20)', helpGroup: 'LABELS' }),
};
