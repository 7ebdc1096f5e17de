import { ACTIONS } from '../../core/labels/index.js';
import type { PredictionTable } from '../../core/predict/index.js';

/** How many bars got each action and each decision: the first thing to look at in a batch. */
export function decisionCounts(p: PredictionTable): { action: Record<string, number>; decision: Record<string, number> } {
  const action = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<string, number>;
  const decision = { ...action };
  for (let i = 0; i < p.n; i++) {
    const a = ACTIONS[p.action[i] as number] as string;
    const d = ACTIONS[p.decision[i] as number] as string;
    action[a] = (action[a] ?? 0) + 1;
    decision[d] = (decision[d] ?? 0) + 1;
  }
  return { action, decision };
}

export function predictionSummary(p: PredictionTable): string {
  const c = decisionCounts(p);
  const fmt = (o: Record<string, number>): string => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ');
  const lines = [
    `${p.n} predictions by ${p.modelVersion}; ${p.warmupSkipped} warm-up bars without one`,
    `actions: ${fmt(c.action)}`,
    `decisions (confidence ≥ ${p.minConfidence}): ${fmt(c.decision)}`,
  ];
  if (p.unsettledRows > 0) lines.push(`${p.unsettledRows} rows have RSI/ATR not yet settled (pass earlier bars with --history)`);
  return lines.join('\n');
}
