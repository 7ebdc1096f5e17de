import { DataError } from '../errors.js';

/**
 * Check feature columns handed to a model: exactly `nFeatures` of them, each with at least `n` rows.
 * @throws DataError naming the model (`what`) or the short column.
 */
export function checkColumns(columns: readonly Float64Array[], nFeatures: number, n: number, what: string): void {
  if (columns.length !== nFeatures) throw new DataError(`${what} model expects ${nFeatures} feature columns, got ${columns.length}`);
  for (let f = 0; f < columns.length; f++) {
    if ((columns[f] as Float64Array).length < n) throw new DataError(`feature column ${f} has ${(columns[f] as Float64Array).length} rows, expected ${n}`);
  }
}
