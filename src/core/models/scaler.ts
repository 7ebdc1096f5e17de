import { DataError } from '../errors.js';
import { expectNumber, expectNumberArray, expectObject } from '../util/validate.js';

/** JSON form of a fitted StandardScaler. */
export interface ScalerState {
  mean: number[];
  scale: number[];
}

/**
 * Standardisation z = (x − mean) / std with statistics from the TRAINING rows only, frozen and stored
 * inside the model so that predict time applies exactly the same map. std is the population std
 * (ddof 0, as scikit-learn's StandardScaler); a zero-std (constant) feature gets scale 1 so it maps to 0
 * instead of dividing by zero. NaN training values are skipped when computing the statistics; NaN
 * inputs to `transform` become 0, i.e. the training mean (mean imputation after scaling).
 */
export class StandardScaler {
  constructor(
    readonly mean: Float64Array,
    readonly scale: Float64Array,
  ) {}

  get nFeatures(): number {
    return this.mean.length;
  }

  /**
   * Two-pass mean and variance per column (the second pass on centred values is stable where
   * Σx² − n·mean² cancels badly).
   * @throws DataError when a column's length differs from n.
   */
  static fit(columns: readonly Float64Array[], n: number): StandardScaler {
    const d = columns.length;
    const mean = new Float64Array(d);
    const scale = new Float64Array(d).fill(1);
    for (let j = 0; j < d; j++) {
      const col = checkedColumn(columns, j, n);
      let s = 0;
      let cnt = 0;
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        if (v === v) {
          s += v;
          cnt++;
        }
      }
      const m = cnt > 0 ? s / cnt : 0;
      let ss = 0;
      let corr = 0;
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        if (v === v) {
          const dv = v - m;
          ss += dv * dv;
          corr += dv;
        }
      }
      const variance = cnt > 0 ? (ss - (corr * corr) / cnt) / cnt : 0;
      const sd = Math.sqrt(Math.max(variance, 0));
      mean[j] = m;
      // A std this small relative to the mean is rounding noise of a constant column.
      scale[j] = sd > 1e-12 * Math.max(1, Math.abs(m)) && Number.isFinite(sd) ? sd : 1;
    }
    return new StandardScaler(mean, scale);
  }

  /**
   * Scaled rows, row-major: out[i * d + j] = (columns[j][i] − mean[j]) / scale[j]; NaN → 0.
   * ±Infinity inputs are rejected rather than silently turned into huge values.
   * @throws DataError when the column count or a column's length is wrong, or a value is infinite.
   */
  transform(columns: readonly Float64Array[], n: number, what = 'model'): Float64Array {
    const d = this.mean.length;
    if (columns.length !== d) throw new DataError(`${what} expects ${d} feature columns, got ${columns.length}`);
    const out = new Float64Array(n * d);
    for (let j = 0; j < d; j++) {
      const col = checkedColumn(columns, j, n);
      const m = this.mean[j] as number;
      const inv = 1 / (this.scale[j] as number);
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        if (v !== v) continue;
        if (v === Infinity || v === -Infinity) throw new DataError(`${what}: feature ${j} row ${i} is infinite`);
        out[i * d + j] = (v - m) * inv;
      }
    }
    return out;
  }

  /**
   * The same values as transform, column-major: one Float64Array per feature (out[j][i]).
   * @throws DataError as transform.
   */
  transformColumns(columns: readonly Float64Array[], n: number, what = 'model'): Float64Array[] {
    const d = this.mean.length;
    if (columns.length !== d) throw new DataError(`${what} expects ${d} feature columns, got ${columns.length}`);
    const out: Float64Array[] = [];
    for (let j = 0; j < d; j++) {
      const col = checkedColumn(columns, j, n);
      const m = this.mean[j] as number;
      const inv = 1 / (this.scale[j] as number);
      const o = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        if (v !== v) continue;
        if (v === Infinity || v === -Infinity) throw new DataError(`${what}: feature ${j} row ${i} is infinite`);
        o[i] = (v - m) * inv;
      }
      out.push(o);
    }
    return out;
  }

  toJSON(): ScalerState {
    return { mean: Array.from(this.mean), scale: Array.from(this.scale) };
  }

  /** @throws DataError naming the field when the state is malformed (wrong length, non-finite, scale ≤ 0). */
  static fromJSON(state: unknown, nFeatures: number, where = 'scaler'): StandardScaler {
    const o = expectObject(state, where);
    const mean = expectNumberArray(o['mean'], `${where}.mean`, nFeatures);
    const scale = expectNumberArray(o['scale'], `${where}.scale`, nFeatures);
    for (let j = 0; j < scale.length; j++) expectNumber(scale[j], `${where}.scale[${j}]`, { min: Number.MIN_VALUE });
    return new StandardScaler(Float64Array.from(mean), Float64Array.from(scale));
  }
}

function checkedColumn(columns: readonly Float64Array[], j: number, n: number): Float64Array {
  const col = columns[j] as Float64Array;
  if (col.length < n) throw new DataError(`feature column ${j} has ${col.length} values, expected ${n}`);
  return col;
}
