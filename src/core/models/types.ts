/**
 * The contract every classifier follows. Features arrive column-major (one Float64Array per
 * feature, NaN for missing), labels as class indices 0..nClasses-1 (0 = strong_sell … 4 = strong_buy).
 */
export interface FitInput {
  /** One Float64Array per feature, each of length n. */
  readonly columns: readonly Float64Array[];
  readonly n: number;
  readonly y: Uint8Array;
  readonly nClasses: number;
  /** Called as units of the fit complete (trees of a forest); models without such units ignore it. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Bar time of each row (ms), for fitters that cut the rows into chronological inner folds
   * (calibration, ensembles). Absent: the rows are taken to be in time order, one row per bar.
   */
  readonly time?: Float64Array;
  /** Label horizon in bars: inner folds purge this many bar times before each validation block (default 1). */
  readonly horizon?: number;
}

export interface Classifier {
  readonly kind: string;
  readonly nClasses: number;
  readonly nFeatures: number;
  /**
   * Per-class probabilities, row-major: out[i * nClasses + k] = P(class k | row i). Rows sum to 1.
   * @throws DataError when the number of columns differs from the fitted one.
   */
  predictProba(columns: readonly Float64Array[], n: number): Float64Array;
  /** Plain-JSON state (no functions, no code); `loadModel` validates it on the way back. */
  toJSON(): ModelState;
}

export interface ModelState {
  kind: string;
  version: number;
  nClasses: number;
  nFeatures: number;
  [key: string]: unknown;
}
