import { UsageError } from '../errors.js';

/** A chronological holdout: bar index ranges [start, end) for training and testing. */
export interface HoldoutSplit {
  kind: 'holdout';
  testFraction: number;
  /** Bars dropped between train and test so no training label window reaches into the test range. */
  purge: number;
  train: { start: number; end: number };
  test: { start: number; end: number };
}

/**
 * Split the usable bars [first, last) in time order: the last `testFraction` of them test, the
 * earlier ones train, minus `purge` bars just before the test start. With horizon h the label of bar
 * t looks at close[t+h], so purge = h keeps every training label strictly before the test bars'
 * label windows. Never shuffled.
 * @throws UsageError when the fraction is outside (0, 1) or either side would be empty.
 */
export function holdoutSplit(first: number, last: number, testFraction: number, purge: number): HoldoutSplit {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new UsageError(`test fraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  }
  const usable = last - first;
  const nTest = Math.max(1, Math.round(usable * testFraction));
  const testStart = last - nTest;
  const trainEnd = testStart - purge;
  if (trainEnd - first < 2 || nTest < 1) {
    throw new UsageError(`too few usable bars (${usable}) to split into train and test with a purge of ${purge}`, {
      hint: 'supply a longer file or a smaller --test-size',
    });
  }
  return { kind: 'holdout', testFraction, purge, train: { start: first, end: trainEnd }, test: { start: testStart, end: last } };
}

/**
 * Split the usable bars [first, last) at a given test start: bars from `testStart` on test, bars
 * before it train, minus `purge` bars just before the test start (as holdoutSplit).
 * @throws UsageError when either side would be empty.
 */
export function holdoutAt(first: number, last: number, testStart: number, purge: number): HoldoutSplit {
  const start = Math.max(first, testStart);
  const trainEnd = start - purge;
  if (trainEnd - first < 2 || last - start < 1) {
    throw new UsageError(`the test start leaves ${Math.max(0, trainEnd - first)} training and ${Math.max(0, last - start)} test bars`, {
      hint: 'choose a --test-from inside the file, after the warm-up window',
    });
  }
  const testFraction = (last - start) / (last - first);
  return { kind: 'holdout', testFraction, purge, train: { start: first, end: trainEnd }, test: { start, end: last } };
}
