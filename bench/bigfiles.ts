import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeCsv } from './csv.js';
import { findSklearnPython, fmt, type Bench, type BenchTable } from './lib.js';

/**
 * Big files end to end through the real CLI, each command a child process measured by
 * /usr/bin/time -v (wall time and peak RSS of that process): features, predict, backtest and train
 * on 1M and 5M rows of 5-minute bars, and pooled training at the size of a real index (110
 * symbols × 100 sessions of 5-minute bars) beside scikit-learn's RandomForest on the same rows.
 *
 * Sizes: MM_BENCH_BIGFILES_ROWS (default "1000000,5000000"); MM_BENCH_BIGFILES_POOLED=0 skips the
 * pooled part, MM_BENCH_BIGFILES_ROWS=0 the single-file part. The 5M rows and the pooled forest
 * (leaf size 1, several GB) are memory-heavy: run this bench alone.
 */

const BIN = resolve('bin/run.js');

interface Measured {
  seconds: number;
  rssMb: number;
  status: number;
  stdout: string;
  stderr: string;
}

/** Run a command under /usr/bin/time -v: its wall time and the peak RSS of the process. */
function measure(cmd: string, args: string[], cwd: string): Measured {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { seconds, rssMb: m ? Number(m[1]) / 1024 : Number.NaN, status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function mm(args: string[], cwd: string): Measured {
  const r = measure(process.execPath, [BIN, ...args], cwd);
  if (r.status !== 0) {
    const why = r.stderr.split('\n').filter((l) => l.startsWith('error') || l.includes('Error')).slice(0, 2).join(' | ');
    process.stderr.write(`  mm ${args.join(' ')} exited ${r.status}: ${why}\n`);
  }
  return r;
}

const row = (what: string, rows: number, r: Measured, extra = ''): (string | number | null)[] => [
  what, rows.toLocaleString('en-US'), r.status === 0 ? fmt(r.seconds, 1) : `failed (${r.status})`, fmt(r.rssMb, 0), r.status === 0 ? fmt((r.rssMb * 1024 * 1024) / rows, 0) : '–', extra,
];

function singleFile(n: number, dir: string): (string | number | null)[][] {
  const csv = join(dir, `BIG_${n}.csv`);
  process.stderr.write(`  writing ${n.toLocaleString('en-US')} bars…\n`);
  writeCsv(csv, n, 7);
  const reg = join(dir, `reg-${n}`);
  const rows: (string | number | null)[][] = [];
  process.stderr.write('  features…\n');
  rows.push(row('mm features --out', n, mm(['features', csv, '--out', join(dir, 'f.csv')], dir)));
  rmSync(join(dir, 'f.csv'), { force: true });
  process.stderr.write('  train…\n');
  // MM_BENCH_BIGFILES_TRAIN_MAX: above this many rows the model for predict/backtest is trained on
  // a 100k-row file instead (training on millions of rows takes many minutes on a loaded machine).
  const trainMax = Number(process.env['MM_BENCH_BIGFILES_TRAIN_MAX'] ?? Infinity);
  const small = join(dir, 'SMALL.csv');
  if (n > trainMax) writeCsv(small, 100_000, 8);
  const trainOn = n > trainMax ? small : csv;
  const train = mm(['train', trainOn, '--trees', '20', '--jobs', '1', '--calibrate', 'none', '--registry', reg, '--json'], dir);
  rows.push(row('mm train (20 trees, 1 thread)', n > trainMax ? 100_000 : n, train, n > trainMax ? 'model for the rows below' : `${fmt(statSync(csv).size / 1e6, 0)} MB CSV`));
  if (train.status !== 0) return rows;
  process.stderr.write('  predict…\n');
  rows.push(row('mm predict --out', n, mm(['predict', csv, '--model', 'latest', '--registry', reg, '--out', join(dir, 'p.csv')], dir)));
  rmSync(join(dir, 'p.csv'), { force: true });
  process.stderr.write('  backtest…\n');
  rows.push(row('mm backtest --model', n, mm(['backtest', csv, '--model', 'latest', '--registry', reg], dir)));
  rmSync(reg, { recursive: true, force: true });
  rmSync(csv, { force: true });
  return rows;
}

// scikit-learn on the rows mm trained on: mm's own features and labels (read from the CSVs mm
// writes), the first trainRows rows in time order, RandomForest with the same trees and leaf size.
const SKLEARN = `
import sys, json, time, resource
import numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier
feats, labels, n_train, trees, leaf, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
f = pd.read_csv(feats)
l = pd.read_csv(labels, usecols=['symbol', 'timestamp', 'label'])
d = f.merge(l, on=['symbol', 'timestamp']).dropna()
d = d.sort_values(['timestamp', 'symbol'], kind='stable')
cols = [c for c in f.columns if c not in ('symbol', 'timestamp')]
X = d[cols].to_numpy(dtype=np.float32)
codes = d['symbol'].astype('category').cat.codes.to_numpy(dtype=np.float32).reshape(-1, 1)
X = np.hstack([X, codes])
y = d['label'].to_numpy()
X, y = X[:n_train], y[:n_train]
del f, l, d
t0 = time.perf_counter()
m = RandomForestClassifier(n_estimators=trees, min_samples_leaf=leaf, n_jobs=jobs, random_state=0).fit(X, y)
fit = time.perf_counter() - t0
nodes = sum(e.tree_.node_count for e in m.estimators_)
print(json.dumps({"rows": int(len(y)), "fit": fit, "nodes": int(nodes), "features": int(X.shape[1])}))
`;

function pooled(dir: string): { rows: (string | number | null)[][]; notes: string[] } {
  const SYMBOLS = 110;
  const SESSIONS = 100;
  const data = join(dir, 'index5m');
  mkdirSync(data, { recursive: true });
  process.stderr.write(`  writing ${SYMBOLS} symbols × ${SESSIONS} sessions…\n`);
  for (let s = 0; s < SYMBOLS; s++) {
    const name = `S${String(s).padStart(3, '0')}`;
    writeCsv(join(data, `${name}.csv`), SESSIONS * 78, 1000 + s);
  }
  const bars = SYMBOLS * SESSIONS * 78;
  const reg = join(dir, 'reg-pooled');
  const notes: string[] = [];
  const rows: (string | number | null)[][] = [];
  process.stderr.write('  mm train (pooled, 100 trees, leaf 1)…\n');
  const t = mm(['train', data, '--trees', '100', '--min-samples-leaf', '1', '--calibrate', 'none', '--jobs', '2', '--registry', reg, '--json'], dir);
  let trainRows = 0;
  if (t.status === 0) {
    const doc = JSON.parse(t.stdout) as { run?: { split?: { trainRows?: number }; id?: string } };
    trainRows = doc.run?.split?.trainRows ?? 0;
    const runDir = join(reg, doc.run?.id ?? '');
    const size = (f: string): string => fmt(statSync(join(runDir, f)).size / 1e6, 1);
    notes.push(`mm model files: model.json ${size('model.json')} MB, model.bin ${size('model.bin')} MB`);
    const load = mm(['predict', join(data, 'S000.csv'), '--model', 'latest', '--registry', reg, '--out', join(dir, 'S000_pred.csv')], dir);
    rows.push(row('mm predict S000 (loads the pooled model)', SESSIONS * 78, load));
  }
  rows.unshift(row('mm train pooled (100 trees, leaf 1, 2 threads)', bars, t, trainRows > 0 ? `${trainRows.toLocaleString('en-US')} training rows` : ''));
  rmSync(reg, { recursive: true, force: true });
  const py = findSklearnPython();
  if (py === null || trainRows === 0) {
    notes.push(py === null ? 'no Python with scikit-learn found; reference skipped' : 'mm pooled training failed; reference skipped');
    return { rows, notes };
  }
  process.stderr.write('  mm features/label for the reference…\n');
  const feats = join(dir, 'feats.csv');
  const labels = join(dir, 'labels.csv');
  mm(['features', data, '--out', feats], dir);
  mm(['label', data, '--out', labels], dir);
  const script = join(dir, 'rf.py');
  writeFileSync(script, SKLEARN);
  process.stderr.write('  scikit-learn RandomForest…\n');
  const s = measure(py, [script, feats, labels, String(trainRows), '100', '1', '2'], dir);
  if (s.status === 0) {
    const o = JSON.parse(s.stdout.trim().split('\n').pop() ?? '{}') as { rows: number; fit: number; nodes: number; features: number };
    rows.push(row(`scikit-learn RandomForest (100 trees, leaf 1, n_jobs 2)`, bars, s, `${o.rows.toLocaleString('en-US')} training rows; fit ${fmt(o.fit, 1)} s`));
    rows.push(['ratio mm / scikit-learn (train)', '', fmt(t.seconds / s.seconds, 2), fmt(t.rssMb / s.rssMb, 2), '', '']);
  } else notes.push(`scikit-learn run failed: ${s.stderr.split('\n').filter((l) => l.trim() !== '').slice(-3).join(' | ')}`);
  notes.push('scikit-learn reads mm\'s feature and label CSVs (pandas) and fits on the same number of rows in time order (mm\'s training rows before its purged holdout); its wall and RSS include that reading');
  return { rows, notes };
}

export const bigfilesBench: Bench = {
  name: 'bigfiles',
  async run(): Promise<BenchTable[]> {
    const sizes = (process.env['MM_BENCH_BIGFILES_ROWS'] ?? '1000000,5000000').split(',').map(Number).filter((n) => n > 0);
    const dir = mkdtempSync(join(tmpdir(), 'mm-bench-bigfiles-'));
    const tables: BenchTable[] = [];
    const columns = ['command', 'rows', 'wall s', 'peak RSS MB', 'bytes/row', 'note'];
    try {
      if (sizes.length > 0) {
        const rows: (string | number | null)[][] = [];
        for (const n of sizes) rows.push(...singleFile(n, dir));
        tables.push({
          title: 'bigfiles: one CSV of 5-minute bars through the CLI (child process each, /usr/bin/time -v)',
          columns,
          rows,
          notes: [
            'targets: 5M rows complete; features/predict peak RSS < 400 MB at 1M rows and < 1.5 GB at 5M; time linear in rows',
            'train uses 20 trees, 1 thread, no calibration so that 5M rows finish in minutes; predict and backtest score with that model',
            'shared 2-core machine: expect ±30 % on wall times',
          ],
        });
      }
      if (process.env['MM_BENCH_BIGFILES_POOLED'] !== '0') {
        const p = pooled(dir);
        tables.push({ title: 'bigfiles: pooled training at index size (110 symbols × 100 sessions of 5-minute bars)', columns, rows: p.rows, notes: p.notes });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return tables;
  },
};
