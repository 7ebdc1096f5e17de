import { EVALUATION_LABELS, type GateResult, type PromoteResult } from '../../core/promote/index.js';
import { num, renderTable } from './table.js';

export function renderPromote(r: PromoteResult): string {
  const head = `${r.alias}: ${r.from ?? '(none)'} → ${r.to}${r.forced ? ` (FORCED past a failed gate: ${r.gate.failure ?? ''})` : ''}`;
  return `${head}\n${renderGate(r.gate)}`;
}

/** How the gate judged: which evaluation and why, both scores, the interval, calibration, the decision. */
export function renderGate(g: GateResult): string {
  const c = g.calibration;
  const cal = c.uncalibrated === null
    ? 'probabilities: unknown (no majority baseline recorded)'
    : `probabilities: log-loss ${num(c.logLoss, 4)} vs majority ${num(c.majorityLogLoss, 4)} on the same rows → ${c.uncalibrated ? 'UNCALIBRATED' : 'better than the class frequencies'}`;
  if (g.evaluation === 'same-run') return 'gate: the alias already points at this run';
  if (g.evaluation === 'no-champion') {
    const h = g.scores.challenger;
    const own = h === null ? '' : `\nchallenger (recorded, out of sample): log-loss ${num(h.logLoss, 4)}, Brier ${num(h.brier, 4)}, ECE ${num(h.ece, 4)}, macro F1 ${num(h.macroF1, 4)}`;
    return `gate: no current holder, nothing to beat${own}\n${cal}\n→ ${g.passed ? 'passed' : `failed: ${g.failure ?? ''}`}`;
  }
  const iv = g.interval === null
    ? ''
    : `\n${g.metric} challenger − champion (better direction): ${num(g.interval.delta, 4)} [${num(g.interval.lo, 4)}, ${num(g.interval.hi, 4)}] 95% block bootstrap over ${g.interval.blocks} sessions → ${g.verdict ?? ''}`;
  const sc = (who: string, h: GateResult['scores']['challenger']): string[] => (h === null ? [] : [who, num(h.logLoss, 4), num(h.brier, 4), num(h.ece, 4), num(h.macroF1, 4)]);
  const rows = [sc('challenger', g.scores.challenger), sc('champion', g.scores.champion)].filter((r) => r.length > 0);
  return [
    renderTable({ columns: ['model (same rows)', 'log_loss', 'brier', 'ece', 'macro_f1'], rows }),
    `evaluation: ${EVALUATION_LABELS[g.evaluation]}${g.rows === null ? '' : ` (${g.rows} rows)`}: ${g.reason}`,
    `gate on ${g.metric}: challenger ${num(g.challenger, 4)} vs champion ${num(g.champion, 4)}, improvement ${num(g.delta, 4)}, required > ${num(g.required, 4)}${iv}`,
    cal,
    `→ ${g.passed ? 'passed' : `failed: ${g.failure ?? ''}`}`,
  ].join('\n');
}
