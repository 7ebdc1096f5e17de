import { isoUtc } from '../../core/data/index.js';
import type { FeatureFrame } from '../../core/features/index.js';
import type { Cell } from '../../core/util/csv-write.js';
import type { RowSource } from '../../core/util/table-stream.js';

/**
 * The feature table from row `from` read straight from the frame's typed columns (warm-up rows
 * carry empty cells when included). Values are exact: files and --json round-trip every float64.
 */
export function featureRows(time: Float64Array, frame: FeatureFrame, from: number, to = frame.n): RowSource {
  const cols = frame.columns;
  return {
    columns: ['timestamp', ...frame.names],
    n: Math.max(0, to - from),
    row(i: number, out: Cell[]): void {
      const t = from + i;
      out[0] = isoUtc(time[t] as number);
      for (let j = 0; j < cols.length; j++) {
        const v = (cols[j] as Float64Array)[t] as number;
        out[j + 1] = Number.isFinite(v) ? v : null;
      }
    },
  };
}
