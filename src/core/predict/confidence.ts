import type { PredictionTable } from './predict.js';

/** How many predicted bars reach the confidence gate, and the highest confidence seen. */
export interface ConfidenceReach {
  minConfidence: number;
  /** Predicted bars looked at. */
  bars: number;
  /** Bars whose confidence (top probability) is ≥ minConfidence: the only ones that can act. */
  atOrAbove: number;
  /** Highest confidence over those bars; null without bars. */
  maxConfidence: number | null;
}

/**
 * Counts the bars of one or more prediction tables (rows [from, to) of each, by default all) whose
 * confidence reaches `minConfidence`. When none does, every decision is hold, which a user should
 * be told rather than find out from an empty backtest.
 */
export function confidenceReach(tables: PredictionTable | readonly PredictionTable[], minConfidence: number, range?: { from: number; to: number }): ConfidenceReach {
  let bars = 0;
  let atOrAbove = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (const t of Array.isArray(tables) ? tables : [tables as PredictionTable]) {
    const from = range?.from ?? 0;
    const to = Math.min(range?.to ?? t.n, t.n);
    for (let i = from; i < to; i++) {
      const c = t.confidence[i] as number;
      bars++;
      if (c >= minConfidence) atOrAbove++;
      if (c > max) max = c;
    }
  }
  return { minConfidence, bars, atOrAbove, maxConfidence: bars === 0 ? null : max };
}
