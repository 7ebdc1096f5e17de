import type { ConfidenceReach } from '../../core/predict/index.js';
import { num } from './table.js';

/** A sweep grid from a little below the highest confidence seen up to the gate, in steps of 0.05. */
export function sweepGrid(c: ConfidenceReach): string {
  const max = c.maxConfidence ?? c.minConfidence;
  const hi = Math.round(c.minConfidence * 100) / 100;
  let lo = Math.max(0.2, Math.floor((max - 0.15) * 20) / 20);
  if (lo >= hi) lo = Math.max(0, Math.round((hi - 0.1) * 100) / 100);
  return `min-confidence=${lo}:${hi}:0.05`;
}

/**
 * One line saying that no bar reached the confidence gate (so every decision is hold), with the
 * highest confidence seen and how to tune the gate on validation rows; null when some bar reached it.
 * `tune` completes the sentence, e.g. "mm backtest data.csv --model latest --sweep min-confidence=0.3:0.6:0.05".
 */
export function confidenceNote(c: ConfidenceReach, tune: string): string | null {
  if (c.bars === 0 || c.atOrAbove > 0) return null;
  return `no bar reached --min-confidence ${c.minConfidence} (highest confidence ${num(c.maxConfidence, 3)} over ${c.bars} bars): every decision is hold; tune the gate on validation rows with ${tune}`;
}
