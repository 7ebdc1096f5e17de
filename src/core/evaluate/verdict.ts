/**
 * One verdict vocabulary for every comparison mm prints (train, compare, promote, report): it is
 * read off a 95% interval of the difference "model minus reference" taken in the metric's better
 * direction (positive = model better), never off point values alone.
 */
export type Verdict = 'real' | 'worse' | 'not significant';

/** `real` when the whole interval is above zero, `worse` when it is below, else `not significant`. */
export function verdictOf(interval: { lo: number; hi: number }): Verdict {
  return interval.lo > 0 ? 'real' : interval.hi < 0 ? 'worse' : 'not significant';
}

/**
 * A model is uncalibrated when its log-loss on some rows is not below the majority baseline's on
 * the same rows: its probabilities then carry less information than the training class
 * frequencies. Null when either value is missing.
 */
export function isUncalibrated(modelLogLoss: number | null | undefined, majorityLogLoss: number | null | undefined): boolean | null {
  if (typeof modelLogLoss !== 'number' || typeof majorityLogLoss !== 'number') return null;
  return !(modelLogLoss < majorityLogLoss);
}
