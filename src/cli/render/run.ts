import type { Metrics } from '../../core/evaluate/index.js';
import type { RunRecord } from '../../core/registry/index.js';
import { describeThresholds } from './labels.js';
import { renderMetricsBlock, type VersusBaselines } from './metrics.js';

function isMetrics(x: unknown): x is Metrics {
  return typeof x === 'object' && x !== null && typeof (x as Metrics).macroF1 === 'number' && Array.isArray((x as Metrics).perClass);
}

export function renderRun(r: RunRecord): string {
  const lines = [
    `run      ${r.id}`,
    `created  ${r.createdAt} by mm ${r.mmVersion}: ${r.command}`,
    `data     ${r.data.paths.join(', ')} (${r.data.symbols.join(' ') || 'no symbol'}; ${r.data.rows} bars ${r.data.from} → ${r.data.to})`,
    `sha256   ${r.data.sha256.join(', ')}`,
    `features W=${r.features.window}: ${r.features.features.join(', ')}`,
    `labels   ${describeThresholds(r.labels)}`,
    `model    ${r.model.kind} ${JSON.stringify(r.model.params)} seed ${r.seed}`,
  ];
  const s = r.split as Record<string, unknown>;
  if (typeof s['trainFrom'] === 'string') {
    lines.push(`split    train ${String(s['trainRows'])} rows ${String(s['trainFrom'])} → ${String(s['trainTo'])}; purge ${String(s['purge'])}; test ${String(s['testRows'])} rows ${String(s['testFrom'])} → ${String(s['testTo'])}`);
  }
  const m = r.metrics as Record<string, unknown>;
  const model = m['model'];
  if (isMetrics(model)) {
    const bases = (['majority', 'persistence'] as const).flatMap((k): [string, Metrics][] => {
      const b = m[k];
      return isMetrics(b) ? [[k, b]] : [];
    });
    const vs = m['vsBaselines'];
    lines.push('', renderMetricsBlock(r.model.kind, model, bases, typeof vs === 'object' && vs !== null ? (vs as VersusBaselines) : undefined));
  }
  return lines.join('\n');
}
