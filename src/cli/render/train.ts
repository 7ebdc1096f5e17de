import type { TrainResult } from '../../core/train/index.js';
import { renderCalibration } from './calibration.js';
import { describeThresholds } from './labels.js';
import { renderMetricsBlock } from './metrics.js';
import { readSummary } from './report.js';

export function renderTrain(r: TrainResult): string {
  const s = r.split;
  const t = r.timings;
  return [
    `run ${r.runId}`,
    readSummary(r.data),
    `train ${s.trainRows} rows ${s.trainFrom} → ${s.trainTo}; purge ${s.purge} bars; test ${s.testRows} rows ${s.testFrom} → ${s.testTo}`,
    describeThresholds(r.thresholds),
    `time: read ${t.readMs} ms, features ${t.featuresMs} ms, fit ${t.fitMs} ms, predict ${t.predictMs} ms`,
    '',
    renderMetricsBlock(r.run.model.kind, r.metrics.model, [
      ['majority', r.metrics.majority],
      ['persistence', r.metrics.persistence],
    ], r.metrics.vsBaselines),
    ...(r.calibration === null ? [] : ['', renderCalibration(r.calibration)]),
  ].join('\n');
}
