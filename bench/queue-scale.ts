// Per-bar throughput of the three per-symbol stages a scaled-out run does, on one core, for the
// "Scaling out" arithmetic in the README: read + featurise, score with a fitted model, and
// WSS-aggregate. Run after `npm run build`: node dist/bench/queue-scale.js [a5m-dir]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readBarsFile, type Bars } from '../src/core/data/index.js';
import { computeFeatures, defaultFeatureSpec } from '../src/core/features/index.js';
import { forwardReturns, labelBars, fitThresholds, makeLabelSpec, N_CLASSES } from '../src/core/labels/index.js';
import { selectRows } from '../src/core/dataset/index.js';
import { fitModel, resolveModelParams } from '../src/core/models/index.js';
import { predictBars, type PredictionTable } from '../src/core/predict/index.js';
import { computeWss } from '../src/core/wss/index.js';
import { Rng } from '../src/core/util/rng.js';
import { setThreadBudget } from '../src/core/util/threads.js';

setThreadBudget(1); // one core: the unit a worker slot runs on
const dir = process.argv[2] ?? '../shared/data/a5m';
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => join(dir, f));
const spec = defaultFeatureSpec(20);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = (f: () => void, reps = 3): number => median(Array.from({ length: reps }, () => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}));

let bars: Bars[] = [];
const tRead = time(() => {
  bars = files.map((p) => readBarsFile(p, { tz: 'America/New_York' }).bars);
});
const n = bars.reduce((a, b) => a + b.n, 0);
const tFeat = time(() => {
  for (const b of bars) computeFeatures(b, spec);
});
const out: string[] = [`${files.length} files, ${n} bars (5-minute), one core, medians of 3`];
out.push(`read + validate CSV: ${(n / tRead / 1000).toFixed(2)} M bars/s`);
out.push(`12 default features: ${(n / tFeat / 1000).toFixed(2)} M bars/s`);
const first = bars[0] as Bars;
const frame = computeFeatures(first, spec);
const labels = fitThresholds(makeLabelSpec({ scheme: 'quantile' }), forwardReturns(first.close, 1));
const y = labelBars(first.close, labels);
const train = selectRows(frame.columns, y, frame.warmup, first.n - 1);
for (const [kind, params] of [['rf', { nTrees: 100, nJobs: 1 }], ['hgb', {}], ['logreg', {}]] as const) {
  const model = await fitModel(kind, { columns: train.columns, n: train.n, y: train.y, nClasses: N_CLASSES }, resolveModelParams(kind, params), new Rng(42));
  let tables: PredictionTable[] = [];
  const t = time(() => {
    tables = bars.map((b) => predictBars(b, spec, model, { minConfidence: 0.6, modelVersion: kind, intervalMs: 300_000 }));
  });
  out.push(`score (features + ${kind} predict + table): ${(n / t / 1000).toFixed(3)} M bars/s`);
  if (kind === 'rf') {
    const m = new Map(tables.map((tb, i) => [`S${i}`, tb]));
    const w = new Map([...m.keys()].map((k) => [k, 1]));
    const tw = time(() => computeWss(m, w, {}));
    out.push(`WSS aggregate (per symbol-bar): ${(n / tw / 1000).toFixed(2)} M bars/s`);
  }
}
console.log(out.join('\n'));
