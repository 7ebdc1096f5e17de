import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreClassifier } from '../src/core/evaluate/index.js';
import { defaultKnnParams, fitKnn } from '../src/core/models/knn.js';
import { defaultLogRegParams, fitLogReg } from '../src/core/models/logreg.js';
import { defaultMlpParams, fitMlp } from '../src/core/models/mlp.js';
import { defaultSvcParams, fitSvc } from '../src/core/models/svc.js';
import type { Classifier, FitInput } from '../src/core/models/types.js';
import { Rng } from '../src/core/util/rng.js';
import { findSklearnPython, fmt, timeIt, type Bench, type BenchTable } from './lib.js';
import { synthetic } from './synthetic.js';

const N_BIG = Number(process.env['MM_BENCH_MODELS_N'] ?? 100_000);
const N_SMALL = Number(process.env['MM_BENCH_MODELS_N_SMALL'] ?? 20_000);
const F = 20;
const C = 5;


interface Row {
  model: string;
  fit: number;
  predict: number;
  fitCpu: number;
  predictCpu: number;
  macroF1: number;
  logLoss: number;
  /** Training epochs (mlp) or iterations (logreg), when the model reports them. */
  iters?: number | null;
}

const KINDS = ['logreg', 'mlp', 'mlp20', 'knn', 'svc'] as const;
type Kind = (typeof KINDS)[number];
/** mlp20: the same network with early stopping off for exactly MLP_EPOCHS epochs on both sides (time per epoch). */
const MLP_EPOCHS = 20;

function fitKind(kind: Kind, input: FitInput): Classifier {
  const rng = new Rng(42);
  if (kind === 'logreg') return fitLogReg(input, defaultLogRegParams(), rng);
  if (kind === 'mlp') return fitMlp(input, defaultMlpParams(), rng);
  if (kind === 'mlp20') return fitMlp(input, { ...defaultMlpParams(), earlyStopping: false, maxEpochs: MLP_EPOCHS, tol: 0, nIterNoChange: MLP_EPOCHS + 1 }, rng);
  if (kind === 'knn') return fitKnn(input, defaultKnnParams(), rng);
  return fitSvc(input, defaultSvcParams(), rng);
}

function sklearnRow(py: string, kind: Kind, columns: Float64Array[], y: Uint8Array, n: number, nTrain: number, from: number): Row | string {
  const dir = mkdtempSync(join(tmpdir(), 'mm-bench-models-'));
  try {
    const X = new Float64Array(n * F);
    for (let i = 0; i < n; i++) for (let f = 0; f < F; f++) X[i * F + f] = (columns[f] as Float64Array)[i] as number;
    writeFileSync(join(dir, 'X.f64'), new Uint8Array(X.buffer));
    writeFileSync(join(dir, 'y.u8'), y.subarray(0, n));
    const script = fileURLToPath(new URL('../../bench/sklearn_models.py', import.meta.url));
    const r = spawnSync(py, [script, dir, kind, String(n), String(F), String(nTrain), String(from), String(MLP_EPOCHS)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) return `scikit-learn ${kind} failed: ${r.stderr.trim().split('\n').pop() ?? ''}`;
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Row;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * logreg and mlp on N_BIG rows, knn and svc on N_SMALL rows (80/20 chronological split), ours vs
 * scikit-learn with one thread on the same rows. svc trains on its default maxTrainRows most recent
 * rows; scikit-learn is given exactly those rows too.
 */
export const modelsBench: Bench = {
  name: 'models',
  async run(): Promise<BenchTable[]> {
    const big = synthetic(N_BIG, 2024);
    const small = N_SMALL <= N_BIG ? { columns: big.columns.map((c) => c.subarray(0, N_SMALL)), y: big.y.subarray(0, N_SMALL) } : synthetic(N_SMALL, 2024);
    const py = findSklearnPython();
    const notes = [
      `synthetic ${F} features, ${C} balanced classes; logreg/mlp on ${N_BIG} rows, knn/svc on ${N_SMALL}; first 80% train, last 20% test`,
      'timings taken on a shared 2-core machine (under load); scikit-learn with one thread, StandardScaler in the pipeline',
      'ratio = wall time ours / scikit-learn; CPU ratio = process CPU seconds (user + system) ours / scikit-learn, steadier under load',
      `mlp20: hidden (100,), batch 200, exactly ${MLP_EPOCHS} epochs on both sides (early stopping off), so fit time compares per epoch`,
      `svc: both fit on the last ${defaultSvcParams().maxTrainRows ?? 'all'} training rows (maxTrainRows); scikit-learn mlp early-stops on a shuffled 10%, ours on the chronological tail`,
    ];
    if (py === null) notes.push('scikit-learn not found (apt-get install python3-sklearn): reference columns empty');
    const rows: (string | number | null)[][] = [];
    // MM_BENCH_MODELS_KINDS=logreg,knn runs only those
    const only = process.env['MM_BENCH_MODELS_KINDS']?.split(',');
    for (const kind of KINDS.filter((k) => only === undefined || only.includes(k))) {
      const data = kind === 'logreg' || kind === 'mlp' || kind === 'mlp20' ? big : small;
      const n = data.y.length;
      const nTrain = Math.floor(n * 0.8);
      const train: FitInput = { columns: data.columns.map((c) => c.subarray(0, nTrain)), n: nTrain, y: data.y.subarray(0, nTrain), nClasses: C };
      const test = data.columns.map((c) => c.subarray(nTrain, n));
      const fit = await timeIt(() => fitKind(kind, train));
      const pred = await timeIt(() => fit.value.predictProba(test, n - nTrain));
      const sc = scoreClassifier(data.y.subarray(nTrain, n), pred.value, C);
      const model = fit.value as { epochs?: number; iterations?: number };
      const iters = model.epochs ?? model.iterations ?? null;
      let ref: Row | null = null;
      if (py !== null) {
        const cap = defaultSvcParams().maxTrainRows;
        const from = kind === 'svc' && cap !== null ? Math.max(0, nTrain - cap) : 0;
        const r = sklearnRow(py, kind, data.columns, data.y, n, nTrain, from);
        if (typeof r === 'string') notes.push(r);
        else ref = r;
      }
      rows.push([
        kind,
        n,
        iters === null ? '–' : `${iters} / ${ref?.iters ?? '–'}`,
        fmt(fit.seconds, 2),
        fmt(pred.seconds, 3),
        fmt(sc.macroF1, 4),
        fmt(sc.logLoss, 4),
        ref ? fmt(ref.fit, 2) : '–',
        ref ? fmt(ref.predict, 3) : '–',
        ref ? fmt(ref.macroF1, 4) : '–',
        ref ? fmt(ref.logLoss, 4) : '–',
        ref ? fmt(fit.seconds / ref.fit, 2) : '–',
        ref ? fmt(fit.cpuSeconds / ref.fitCpu, 2) : '–',
        ref ? fmt(pred.seconds / ref.predict, 2) : '–',
        ref ? fmt(pred.cpuSeconds / ref.predictCpu, 2) : '–',
      ]);
    }
    return [
      {
        title: 'logreg / mlp / knn / svc: ours vs scikit-learn',
        columns: ['model', 'rows', 'iters ours / sk', 'fit s', 'predict s', 'macro F1', 'log-loss', 'sk fit s', 'sk predict s', 'sk macro F1', 'sk log-loss', 'fit ratio', 'fit CPU ratio', 'predict ratio', 'predict CPU ratio'],
        rows,
        notes,
      },
    ];
  },
};
