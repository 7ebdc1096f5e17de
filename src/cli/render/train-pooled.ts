import type { PooledTrainResult } from '../../core/train/index.js';
import { renderCalibration } from './calibration.js';
import { describeThresholds } from './labels.js';
import { renderMetricsBlock } from './metrics.js';
import { num, renderTable } from './table.js';

export function renderPooledTrain(r: PooledTrainResult): string {
  const t = r.timings;
  const enc = r.run.symbolFeature?.kind ?? 'none';
  const worst = [...r.perSymbol].filter((p) => p.macroF1 !== null).sort((a, b) => (a.macroF1 as number) - (b.macroF1 as number));
  const beat = r.perSymbol.filter((p) => p.macroF1 !== null && p.persistenceMacroF1 !== null && p.macroF1 > p.persistenceMacroF1).length;
  return [
    `run ${r.runId}`,
    `${r.symbols.length} symbols pooled (symbol feature: ${enc}); ${r.inputs.reduce((a, x) => a + x.rows, 0)} bars`,
    missingLine(r.missingBars),
    `train ${r.trainRows} rows before ${r.cut} (purge ${r.run.labels.horizon} bar per symbol); test ${r.testRows} rows from ${r.cut}`,
    r.labelsBySymbol === null ? describeThresholds(r.labels) : `thresholds fitted per symbol on its training rows (see --json for each)`,
    `time: read ${t.readMs} ms, features ${t.featuresMs} ms, fit ${t.fitMs} ms, predict ${t.predictMs} ms`,
    '',
    renderMetricsBlock(r.run.model.kind, r.metrics.model, [
      ['majority', r.metrics.majority],
      ['persistence', r.metrics.persistence],
    ], r.metrics.vsBaselines),
    `per symbol (point values, no intervals): the model's macro F1 is above persistence's for ${beat} of ${r.perSymbol.length} symbols; the five weakest:`,
    renderTable({
      columns: ['symbol', 'test_rows', 'macro_f1', 'persistence_f1'],
      rows: worst.slice(0, 5).map((p) => [p.symbol, p.testRows, num(p.macroF1), num(p.persistenceMacroF1)]),
    }),
    ...(r.calibration === null ? [] : [renderCalibration(r.calibration)]),
  ].join('\n');
}

function missingLine(m: Record<string, number>): string {
  const gaps = Object.entries(m).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  if (gaps.length === 0) return 'every symbol has a bar at every timestamp of the union';
  const top = gaps.slice(0, 8).map(([s, v]) => `${s} ${v}`).join(', ');
  return `aligned on timestamps: ${gaps.length} symbols lack bars of the union (${top}${gaps.length > 8 ? ', …' : ''})`;
}
