/** The five actions, in class-index order. Index k is the label value and the probability column. */
export const ACTIONS = ['strong_sell', 'sell', 'hold', 'buy', 'strong_buy'] as const;
export type Action = (typeof ACTIONS)[number];
export const N_CLASSES = ACTIONS.length;
export const HOLD = 2;
/** Score of each class for the expected score Σ p·score and for the WSS (docs/labels.md, docs/wss.md). */
export const CLASS_SCORES: readonly number[] = [-2, -1, 0, 1, 2];
/** Marks a bar without a label (the last h bars, warm-up, or a NaN input). */
export const NO_LABEL = 255;

/**
 * Class of a return r under thresholds 0 ≤ t1 < t2, symmetric around zero. Edges (docs/labels.md):
 * r ≤ −t2 strong_sell; −t2 < r ≤ −t1 sell; −t1 < r < t1 hold; t1 ≤ r < t2 buy; r ≥ t2 strong_buy.
 * So a return of exactly ±t1 is already a directional class and exactly ±t2 a strong one.
 */
export function classify(r: number, t1: number, t2: number): number {
  if (r <= -t2) return 0;
  if (r <= -t1) return 1;
  if (r < t1) return 2;
  if (r < t2) return 3;
  return 4;
}
