import { UsageError } from '../../errors.js';
import type { FitInput } from '../types.js';

/** One inner fold of a training set: rows to fit on and the later rows to predict. */
export interface InnerFold {
  train: Int32Array;
  valid: Int32Array;
}

/** Rows of a fit input that inner folds need at least per training part and per validation part. */
export const MIN_INNER_TRAIN = 30;
export const MIN_INNER_VALID = 10;

/**
 * Chronological inner walk-forward folds over the rows of ONE training set (nothing outside it is
 * ever seen). The distinct bar times of the rows (or the row order when the input has no times)
 * are cut into k + 1 equal blocks; fold j (1..k) predicts block j and fits on every row of blocks
 * 0..j−1 except the last `horizon` bar times before block j (the purge: a label of a fitting row
 * looks `horizon` bars ahead, so it must not reach into the validation block). Rows of all symbols
 * that share a bar time fall in the same block.
 * @throws UsageError when the blocks would be too small to fit or to validate on.
 */
export function innerFolds(input: Pick<FitInput, 'n' | 'time' | 'horizon'>, k: number): InnerFold[] {
  const n = input.n;
  const h = Math.max(0, input.horizon ?? 1);
  const time = input.time;
  // Position of each row on the sorted axis of distinct times.
  let pos: Int32Array;
  let axisLen: number;
  if (time === undefined) {
    pos = Int32Array.from({ length: n }, (_, i) => i);
    axisLen = n;
  } else {
    const axis = Float64Array.from(new Set(time)).sort();
    axisLen = axis.length;
    const at = new Map<number, number>();
    axis.forEach((t, i) => at.set(t, i));
    pos = Int32Array.from(time, (t) => at.get(t) as number);
  }
  const block = Math.floor(axisLen / (k + 1));
  const fail = (): never => {
    throw new UsageError(`${n} training rows are too few for ${k} chronological calibration folds`, {
      hint: 'use --calibrate none, fewer calibration folds ("calibrationFolds" in --params) or more data',
    });
  };
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`calibration folds must be a whole number ≥ 1, got ${k}`);
  if (block - h < 1) fail();
  const folds: InnerFold[] = [];
  for (let j = 1; j <= k; j++) {
    const vs = j * block;
    const ve = j === k ? axisLen : vs + block;
    const te = vs - h;
    const tr: number[] = [];
    const va: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = pos[i] as number;
      if (p < te) tr.push(i);
      else if (p >= vs && p < ve) va.push(i);
    }
    if (tr.length < MIN_INNER_TRAIN || va.length < MIN_INNER_VALID) fail();
    folds.push({ train: Int32Array.from(tr), valid: Int32Array.from(va) });
  }
  return folds;
}

/**
 * innerFolds with k folds, or with fewer when the training set is too small for k (a small early
 * walk-forward fold still gets calibrated on its later half).
 * @throws UsageError when not even one fold fits.
 */
export function innerFoldsUpTo(input: Pick<FitInput, 'n' | 'time' | 'horizon'>, k: number): InnerFold[] {
  for (let j = k; j > 1; j--) {
    try {
      return innerFolds(input, j);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
    }
  }
  return innerFolds(input, 1);
}

/** The rows `idx` of a fit input (times kept, so nested folds stay chronological). */
export function subsetInput(input: FitInput, idx: Int32Array): FitInput {
  // plain loops: TypedArray.from with a mapping callback cost ~1.5 s of a default NVDA compare
  const columns = input.columns.map((c) => gather(c, idx, new Float64Array(idx.length)));
  const y = gather(input.y, idx, new Uint8Array(idx.length));
  const out: FitInput = { columns, n: idx.length, y, nClasses: input.nClasses };
  if (input.time !== undefined) (out as { time?: Float64Array }).time = gather(input.time, idx, new Float64Array(idx.length));
  if (input.horizon !== undefined) (out as { horizon?: number }).horizon = input.horizon;
  return out;
}

/** out[j] = src[idx[j]]. */
function gather<T extends Float64Array | Uint8Array>(src: T, idx: Int32Array, out: T): T {
  for (let j = 0; j < idx.length; j++) out[j] = src[idx[j] as number] as number;
  return out;
}
