import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBarsFile } from '../src/core/data/index.js';
import { holdoutSplit, selectRows } from '../src/core/dataset/index.js';
import { scoreClassifier } from '../src/core/evaluate/index.js';
import { computeFeatures, defaultFeatureSpec } from '../src/core/features/index.js';
import { fitThresholds, forwardReturns, labelBars, makeLabelSpec, N_CLASSES } from '../src/core/labels/index.js';
import { defaultBoostParams } from '../src/core/models/boost.js';
import { defaultForestParams } from '../src/core/models/forest.js';
import { fitModel, MODEL_KINDS, resolveModelParams } from '../src/core/models/index.js';
import { Rng } from '../src/core/util/rng.js';
import { findSklearnPython, fmt, timeIt, writeSplit, type Bench, type BenchTable } from './lib.js';

const PATH = process.env['MM_BENCH_NVDA'] ?? '../shared/data/a5m/NVDA.csv';

/** scikit-learn's defaults for the kinds compared with it (RandomForest/ExtraTrees 100 trees, HGB 31 leaves, lr 0.1), one thread. */
const SAME_AS_SKLEARN: Partial<Record<string, Record<string, unknown>>> = {
  rf: { ...defaultForestParams('rf'), nJobs: 1 },
  et: { ...defaultForestParams('et'), nJobs: 1 },
  hgb: { ...defaultBoostParams('hgb') },
};

/**
 * Training on real features: the default feature set of NVDA 5-minute bars, quantile labels fitted
 * on the first 70%, every model kind fitted with its defaults and scored on the last 30%; scikit-learn's
 * RandomForest / ExtraTrees / HistGradientBoosting (one thread) on the same rows beside them.
 */
export const nvdaBench: Bench = {
  name: 'nvda',
  async run(): Promise<BenchTable[]> {
    if (!existsSync(PATH)) {
      return [{ title: 'training on NVDA features', columns: ['note'], rows: [[`skipped: ${PATH} not found (set MM_BENCH_NVDA)`]] }];
    }
    const { bars } = readBarsFile(PATH);
    const spec = defaultFeatureSpec(20);
    const frame = computeFeatures(bars, spec);
    const split = holdoutSplit(frame.warmup, bars.n - 1, 0.3, 1);
    const fwd = forwardReturns(bars.close, 1);
    const labels = fitThresholds(makeLabelSpec({ scheme: 'quantile' }), fwd.subarray(split.train.start, split.train.end));
    const y = labelBars(bars.close, labels);
    const train = selectRows(frame.columns, y, split.train.start, split.train.end);
    const test = selectRows(frame.columns, y, split.test.start, split.test.end);
    const rows: (string | number | null)[][] = [];
    const ours = new Map<string, { fit: number; fitCpu: number; predictCpu: number }>();
    // MM_BENCH_NVDA_KINDS=hgb,rf runs only those; every kind uncalibrated (calibrate none), as scikit-learn's
    const only = process.env['MM_BENCH_NVDA_KINDS']?.split(',');
    for (const kind of MODEL_KINDS.filter((k) => only === undefined || only.includes(k))) {
      // the kinds scikit-learn runs beside us get its defaults (the learners' own defaults, not the
      // zoo's searched ones) and one thread, so the ratio compares the same work
      const params = resolveModelParams(kind, { ...(SAME_AS_SKLEARN[kind] ?? {}), calibrate: 'none' });
      const fit = await timeIt(() => fitModel(kind, { columns: train.columns, n: train.n, y: train.y, nClasses: N_CLASSES }, params, new Rng(42)));
      const pred = await timeIt(() => fit.value.predictProba(test.columns, test.n));
      const m = scoreClassifier(test.y, pred.value, N_CLASSES);
      ours.set(kind, { fit: fit.seconds, fitCpu: fit.cpuSeconds, predictCpu: pred.cpuSeconds });
      rows.push([`mm ${kind}`, fmt(fit.seconds, 2), fmt(pred.seconds, 3), fmt(m.macroF1, 4), fmt(m.logLoss, 4), null, null, null]);
    }
    const notes = [`${PATH}: ${train.n} training rows, ${test.n} test rows, ${spec.features.length} features; no post-hoc calibration; rf/et/hgb with scikit-learn's defaults and one thread, knn beside scikit-learn's brute-force KNeighborsClassifier (k 15, standardised), the other kinds with mm's defaults; shared 2-core machine; CPU ratio = process CPU seconds ours / scikit-learn (steadier under load)`];
    const py = findSklearnPython();
    if (py === null) notes.push('scikit-learn not found (/usr/bin/python3 with python3-sklearn): reference rows skipped');
    else {
      const dir = mkdtempSync(join(tmpdir(), 'mm-bench-nvda-'));
      try {
        const { n, nf } = writeSplit(dir, train, test);
        const script = fileURLToPath(new URL('../../bench/sklearn_nvda.py', import.meta.url));
        const r = spawnSync(py, [script, dir, String(n), String(nf), String(train.n)], { encoding: 'utf8' });
        for (const line of r.stdout.split('\n').filter((l) => l.startsWith('{'))) {
          const o = JSON.parse(line) as { model: string; fit: number; fitCpu: number; predict: number; predictCpu: number; macroF1: number; logLoss: number };
          rows.push([`sklearn ${o.model}`, fmt(o.fit, 2), fmt(o.predict, 3), fmt(o.macroF1, 4), fmt(o.logLoss, 4), null, null, null]);
          const mine = ours.get(o.model);
          const row = rows.find((x) => x[0] === `mm ${o.model}`);
          if (row !== undefined && mine !== undefined) {
            row[5] = fmt(mine.fit / o.fit, 2);
            row[6] = fmt(mine.fitCpu / o.fitCpu, 2);
            row[7] = fmt(mine.predictCpu / o.predictCpu, 2);
          }
        }
        if (r.status !== 0) notes.push(`scikit-learn script failed: ${r.stderr.slice(0, 200)}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return [{ title: 'training on NVDA 5-minute features (70/30 chronological)', columns: ['model', 'fit s', 'predict s', 'macro F1', 'log-loss', 'fit ratio mm/sklearn', 'fit CPU ratio', 'predict CPU ratio'], rows, notes }];
  },
};
