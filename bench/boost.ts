import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultBoostParams, fitBoost } from '../src/core/models/boost.js';
import { Rng } from '../src/core/util/rng.js';
import { findSklearnPython, fmt, timeIt, type Bench, type BenchTable } from './lib.js';
import { synthetic } from './synthetic.js';
import { scoreClassifier } from '../src/core/evaluate/index.js';

const N = Number(process.env['MM_BENCH_BOOST_N'] ?? 100_000);
const F = 20;
const C = 5;
const N_ITER = Number(process.env['MM_BENCH_BOOST_ITER'] ?? 100);
/** scikit-learn's exact GradientBoosting is slow on 80k rows: gb trains on this many rows on both sides. */
const N_GB = Math.min(Number(process.env['MM_BENCH_BOOST_GB_N'] ?? 20_000), Math.floor(N * 0.8));

interface Row {
  model: string;
  fit: number;
  predict: number;
  fitCpu: number;
  predictCpu: number;
  macroF1: number;
  logLoss: number;
  nIter: number;
}

/**
 * Our gb / hgb against scikit-learn's GradientBoostingClassifier / HistGradientBoostingClassifier on
 * the trees bench's seeded 5-class set (80/20 chronological split; gb on the first N_GB training rows).
 */
export const boostBench: Bench = {
  name: 'boost',
  async run(): Promise<BenchTable[]> {
    const { columns, y } = synthetic(N, 2024);
    const nTrain = Math.floor(N * 0.8);
    const nTest = N - nTrain;
    const test = columns.map((c) => c.subarray(nTrain));
    const yTest = y.subarray(nTrain);
    const ours: Row[] = [];
    // MM_BENCH_BOOST_KINDS=hgb skips gb (scikit-learn's exact gb takes minutes)
    const kinds = (['hgb', 'gb'] as const).filter((k) => process.env['MM_BENCH_BOOST_KINDS']?.split(',').includes(k) ?? true);
    for (const kind of kinds) {
      const nFit = kind === 'gb' ? N_GB : nTrain;
      const params = { ...defaultBoostParams(kind), maxIter: N_ITER };
      const input = { columns: columns.map((c) => c.subarray(0, nFit)), n: nFit, y: y.subarray(0, nFit), nClasses: C };
      const fit = await timeIt(() => fitBoost(input, params, new Rng(42)));
      const pred = await timeIt(() => fit.value.predictProba(test, nTest));
      const m = scoreClassifier(yTest, pred.value, C);
      ours.push({ model: kind, fit: fit.seconds, predict: pred.seconds, fitCpu: fit.cpuSeconds, predictCpu: pred.cpuSeconds, macroF1: m.macroF1, logLoss: m.logLoss, nIter: fit.value.nIter });
    }
    const notes = [
      `${N} × ${F} synthetic rows (bench/trees.ts generator), ${C} balanced classes, 80/20 split, ${N_ITER} rounds at most`,
      `hgb trains on all ${nTrain} training rows (early stopping 'auto' = on: ours holds out the chronological last 10%, scikit-learn a stratified shuffled 10%)`,
      `gb trains on the first ${N_GB} training rows on both sides (scikit-learn's exact GradientBoosting is slow); ours splits on 255 bins`,
      'single-threaded on both sides (OMP_NUM_THREADS=1 for scikit-learn); timings taken on a shared 2-core machine (under load)',
      'ratio = wall time ours / scikit-learn; CPU ratio = process CPU seconds (user + system) ours / scikit-learn, steadier under load',
    ];
    const ref = new Map<string, Row>();
    const py = findSklearnPython();
    if (py === null) notes.push('scikit-learn not found (apt-get install python3-sklearn): reference columns empty');
    else {
      const dir = mkdtempSync(join(tmpdir(), 'mm-bench-boost-'));
      try {
        const X = new Float64Array(N * F);
        for (let i = 0; i < N; i++) for (let f = 0; f < F; f++) X[i * F + f] = (columns[f] as Float64Array)[i] as number;
        writeFileSync(join(dir, 'X.f64'), new Uint8Array(X.buffer));
        writeFileSync(join(dir, 'y.u8'), y);
        const script = fileURLToPath(new URL('../../bench/sklearn_boost.py', import.meta.url));
        const r = spawnSync(py, [script, dir, String(N), String(F), String(nTrain), kinds.includes('gb') ? String(N_GB) : '0', String(N_ITER)], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
          env: { ...process.env, OMP_NUM_THREADS: '1' },
        });
        if (r.status !== 0) notes.push(`scikit-learn reference failed: ${r.stderr.trim().split('\n').pop() ?? ''}`);
        for (const line of r.stdout.split('\n')) if (line.trim() !== '') {
          const row = JSON.parse(line) as Row;
          ref.set(row.model, row);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const rows: (string | number | null)[][] = [];
    for (const o of ours) {
      const s = ref.get(o.model);
      rows.push([`ours ${o.model}`, o.nIter, fmt(o.fit, 2), fmt(o.predict, 3), fmt(o.macroF1, 4), fmt(o.logLoss, 4), s ? fmt(o.fit / s.fit, 2) : '–', s ? fmt(o.fitCpu / s.fitCpu, 2) : '–', s ? fmt(o.predict / s.predict, 2) : '–', s ? fmt(o.predictCpu / s.predictCpu, 2) : '–', s ? fmt(o.logLoss - s.logLoss, 4) : '–']);
    }
    for (const [name, s] of ref) rows.push([`sklearn ${name}`, s.nIter, fmt(s.fit, 2), fmt(s.predict, 3), fmt(s.macroF1, 4), fmt(s.logLoss, 4), '1.00', '1.00', '1.00', '1.00', '0.0000']);
    return [
      {
        title: 'GradientBoosting / HistGradientBoosting: ours vs scikit-learn',
        columns: ['model', 'rounds', 'fit s', 'predict s', 'macro F1', 'log-loss', 'fit ratio ours/sklearn', 'fit CPU ratio', 'predict ratio', 'predict CPU ratio', 'Δlog-loss vs sklearn'],
        rows,
        notes,
      },
    ];
  },
};
