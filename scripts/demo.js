#!/usr/bin/env node
// The README's main job on the bundled samples, through the real CLI so it shows what a user sees.
// Phase A: train a RandomForest on 120 NVDA 5-minute sessions, predict the 10 sessions after them,
// and backtest those predictions with costs. Phase B: a pooled hourly model over five NASDAQ-100
// members, then the Weighted Sentiment Score over the 21 sessions after its training data, scored
// against QQQ.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const mm = (args) => {
  process.stdout.write(`\n$ mm ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['bin/run.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

mkdirSync('out', { recursive: true });
mm(['train', 'data/NVDA_5m_train.csv']);
mm(['predict', 'data/NVDA_5m_predict.csv', '--model', 'latest', '--history', 'data/NVDA_5m_train.csv', '--out', 'out/NVDA_predictions.csv']);
mm(['backtest', 'data/NVDA_5m_predict.csv', '--predictions', 'out/NVDA_predictions.csv', '--min-confidence', '0.5', '--fee-bps', '1', '--slippage-bps', '1', '--out', 'out/backtest']);
mm(['train', 'data/h1/train', '--symbol-feature', 'ordinal', '--tag', 'phase=B']);
mm(['wss', 'data/h1/batch', '--weights', 'data/weights_qqq_2024-12-26.csv', '--model', 'latest', '--history', 'data/h1/train', '--use', 'expected', '--index', 'data/h1/QQQ_1h.csv', '--out', 'out/wss']);
mm(['runs', 'list']);
mm(['report', '--out', 'out/report.html']);
process.stdout.write('\nwritten: out/NVDA_predictions.csv, out/backtest/ (equity, trades, SVG), out/wss/ (per-symbol tables, wss.csv, summary.json), out/report.html (open in a browser)\n');
