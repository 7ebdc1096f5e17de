import type { RunSummary } from '../../core/registry/index.js';
import { num, type TextTable } from './table.js';

export function runsTable(runs: RunSummary[]): TextTable {
  return {
    columns: ['id', 'kind', 'symbols', 'rows', 'scheme', 'log_loss', 'brier', 'ece', 'calibration', 'macro_f1', 'best_baseline_f1', 'aliases', 'status'],
    rows: runs.map((r) => [
      r.id, r.kind ?? '–', r.symbols.join(' ') || '–', r.rows ?? '–', r.scheme ?? '–', num(r.logLoss), num(r.brier), num(r.ece),
      r.uncalibrated === null ? '–' : r.uncalibrated ? 'uncalibrated' : 'ok', num(r.macroF1), num(r.baselineMacroF1),
      r.aliases.join(' '), r.error === null ? 'ok' : `corrupt: ${r.error}`,
    ]),
  };
}
