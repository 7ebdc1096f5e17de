import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBarsFile } from '../src/core/data/index.js';
import { holdoutSplit, selectRows } from '../src/core/dataset/index.js';
import { scoreClassifier } from '../src/core/evaluate/index.js';
import { computeFeatures, defaultFeatureSpec } from '../src/core/features/index.js';
import { fitThresholds, forwardReturns, labelBars, makeLabelSpec, N_CLASSES } from '../src/core/labels/index.js';
import { defaultBoostParams, type BoostModel } from '../src/core/models/boost.js';
import { fitModel, resolveModelParams } from '../src/core/models/index.js';
import { Rng } from '../src/core/util/rng.js';
import { findSklearnPython, fmt, timeIt, writeSplit, type Bench, type BenchTable } from './lib.js';

const DIR = process.env['MM_BENCH_A5M'] ?? '../shared/data/a5m';
/** scikit-learn's random_state values: its early stopping validates on a seeded shuffle of the rows. */
const SEEDS = [0, 1, 2];
/** Walk-forward test windows: the usable bars from 60% on, in thirds; each trains on every bar before its window. */
const WINDOWS = 3;
const FIRST_TEST = 0.6;

interface Side {
  logLoss: number;
  nIter: number;
  fitCpu: number;
}

function meanSe(d: number[]): [number, number] {
  const m = d.reduce((a, b) => a + b, 0) / d.length;
  const v = d.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, d.length - 1);
  return [m, Math.sqrt(v / d.length)];
}

/**
 * hgb against scikit-learn's HistGradientBoostingClassifier on every symbol's 5-minute bars in
 * MM_BENCH_A5M (default ../shared/data/a5m), three walk-forward windows each: both with scikit-learn's
 * defaults (31 leaves, lr 0.1, early stopping on above 10,000 rows), mm with and without refit. One
 * train/test split says little about 0.005 of log-loss; the windows give the spread.
 */
export const hgbWindowsBench: Bench = {
  name: 'hgbwin',
  async run(): Promise<BenchTable[]> {
    const title = 'hgb vs scikit-learn over symbols and walk-forward windows (test log-loss)';
    if (!existsSync(DIR)) return [{ title, columns: ['note'], rows: [[`skipped: ${DIR} not found (set MM_BENCH_A5M)`]] }];
    const files = readdirSync(DIR).filter((f) => f.endsWith('.csv')).sort();
    const tmp = mkdtempSync(join(tmpdir(), 'mm-bench-hgbwin-'));
    const windows: { name: string; dir: string; nTrain: number; nTest: number; mm: Side; refit: Side }[] = [];
    try {
      for (const file of files) {
        const { bars } = readBarsFile(join(DIR, file));
        const spec = defaultFeatureSpec(20);
        const frame = computeFeatures(bars, spec);
        const usable = bars.n - 1 - frame.warmup;
        const fwd = forwardReturns(bars.close, 1);
        for (let w = 0; w < WINDOWS; w++) {
          const endFrac = FIRST_TEST + ((w + 1) * (1 - FIRST_TEST)) / WINDOWS;
          const last = frame.warmup + Math.round(usable * endFrac);
          const split = holdoutSplit(frame.warmup, last, (1 - FIRST_TEST) / WINDOWS / endFrac, 1);
          const labels = fitThresholds(makeLabelSpec({ scheme: 'quantile' }), fwd.subarray(split.train.start, split.train.end));
          const y = labelBars(bars.close, labels);
          const train = selectRows(frame.columns, y, split.train.start, split.train.end);
          const test = selectRows(frame.columns, y, split.test.start, split.test.end);
          const side = async (refit: boolean): Promise<Side> => {
            const params = resolveModelParams('hgb', { ...defaultBoostParams('hgb'), refit, calibrate: 'none' });
            const fit = await timeIt(() => fitModel('hgb', { columns: train.columns, n: train.n, y: train.y, nClasses: N_CLASSES }, params, new Rng(42)));
            const p = fit.value.predictProba(test.columns, test.n);
            return { logLoss: scoreClassifier(test.y, p, N_CLASSES).logLoss, nIter: (fit.value as unknown as BoostModel).nIter ?? NaN, fitCpu: fit.cpuSeconds };
          };
          const mm = await side(false);
          const refit = await side(true);
          const dir = join(tmp, `${windows.length}`);
          mkdirSync(dir);
          const { n, nf } = writeSplit(dir, train, test);
          writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n, nf, ntr: train.n }));
          windows.push({ name: `${file.replace(/\.csv$/, '')} w${w + 1}`, dir, nTrain: train.n, nTest: test.n, mm, refit });
        }
      }
      const sk = new Map<string, Side[]>();
      const notes = [`${DIR}: per symbol, test windows = usable bars ${FIRST_TEST * 100}–100% in ${WINDOWS} equal parts, each trained on every bar before it (purge 1, quantile labels fitted on its training rows); no calibration; one thread each; scikit-learn's log-loss is the mean over random_state ${SEEDS.join(', ')} (its early stopping validates on a seeded stratified shuffle), mm validates on the chronological last 10%`];
      const py = findSklearnPython();
      if (py === null) notes.push('scikit-learn not found (/usr/bin/python3 with python3-sklearn): reference columns empty');
      else {
        const script = fileURLToPath(new URL('../../bench/sklearn_hgb_windows.py', import.meta.url));
        const r = spawnSync(py, [script, SEEDS.join(','), ...windows.map((w) => w.dir)], { encoding: 'utf8' });
        for (const line of r.stdout.split('\n').filter((l) => l.startsWith('{'))) {
          const o = JSON.parse(line) as { dir: string; fitCpu: number; nIter: number; logLoss: number };
          sk.set(o.dir, [...(sk.get(o.dir) ?? []), { logLoss: o.logLoss, nIter: o.nIter, fitCpu: o.fitCpu }]);
        }
        if (r.status !== 0) notes.push(`scikit-learn script failed: ${r.stderr.slice(0, 200)}`);
      }
      const rows: (string | number | null)[][] = [];
      const dMm: number[] = [];
      const dRefit: number[] = [];
      const dRefitMm: number[] = [];
      let cpuMm = 0;
      let cpuRefit = 0;
      let cpuSk = 0;
      for (const w of windows) {
        const s = sk.get(w.dir) ?? [];
        const skLl = s.length > 0 ? s.reduce((a, b) => a + b.logLoss, 0) / s.length : null;
        const skIt = s.length > 0 ? s.reduce((a, b) => a + b.nIter, 0) / s.length : null;
        if (skLl !== null) {
          dMm.push(w.mm.logLoss - skLl);
          dRefit.push(w.refit.logLoss - skLl);
          cpuMm += w.mm.fitCpu;
          cpuRefit += w.refit.fitCpu;
          cpuSk += s.reduce((a, b) => a + b.fitCpu, 0) / s.length;
        }
        dRefitMm.push(w.refit.logLoss - w.mm.logLoss);
        const range = s.length > 0 ? `${fmt(Math.min(...s.map((x) => x.logLoss)), 4)}–${fmt(Math.max(...s.map((x) => x.logLoss)), 4)}` : '–';
        rows.push([w.name, w.nTrain, w.nTest, `${fmt(w.mm.logLoss, 4)} (${w.mm.nIter})`, `${fmt(w.refit.logLoss, 4)} (${w.refit.nIter})`, skLl === null ? '–' : `${fmt(skLl, 4)} (${fmt(skIt, 1)})`, range, skLl === null ? '–' : fmt(w.mm.logLoss - skLl, 4), skLl === null ? '–' : fmt(w.refit.logLoss - skLl, 4)]);
      }
      const summary = (d: number[]): string => {
        if (d.length < 2) return '–';
        const [m, se] = meanSe(d);
        return `${m >= 0 ? '+' : ''}${fmt(m, 4)} ± ${fmt(se, 4)}, lower in ${d.filter((x) => x < 0).length}/${d.length}`;
      };
      notes.push(`mm − scikit-learn, mean ± standard error over windows: ${summary(dMm)}; mm refit − scikit-learn: ${summary(dRefit)}; refit − no refit: ${summary(dRefitMm)}`);
      if (cpuSk > 0) notes.push(`fit CPU over all windows: mm ${fmt(cpuMm, 2)} s, mm refit ${fmt(cpuRefit, 2)} s, scikit-learn ${fmt(cpuSk, 2)} s (mean of its seeds): ratios ${fmt(cpuMm / cpuSk, 2)} and ${fmt(cpuRefit / cpuSk, 2)}`);
      return [{ title, columns: ['window', 'train rows', 'test rows', 'mm (rounds)', 'mm refit (rounds)', 'sklearn mean (rounds)', 'sklearn range', 'mm − sklearn', 'refit − sklearn'], rows, notes }];
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
