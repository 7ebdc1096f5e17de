import { Args, Flags } from '@oclif/core';
import { join } from 'node:path';
import { confidenceNote, sweepGrid } from '../cli/render/confidence.js';
import { MmCommand } from '../cli/base-command.js';
import { executorFlags, makeExecutor } from '../cli/executor.js';
import { redactArgv } from '../core/exec/index.js';
import { defined } from '../cli/defined.js';
import { labelFlags, numberFlag, readFlags, registryFlag, seedFlag, windowFlag } from '../cli/flags.js';
import { modelParamsFrom } from '../cli/model-flags.js';
import { stderrProgress } from '../cli/progress.js';
import { renderBacktest } from '../cli/render/backtest.js';
import { svgChart } from '../cli/render/chart.js';
import { isoUtc } from '../core/data/index.js';
import type { Cell } from '../core/util/csv-write.js';
import { writeCsvFile } from '../core/util/table-stream.js';
import { runBacktest, type BacktestSource, type BacktestRunResult } from '../core/backtest/index.js';
import { UsageError } from '../core/errors.js';
import { defaultFeatureSpec } from '../core/features/index.js';
import { makeLabelSpec } from '../core/labels/index.js';
import { MODEL_KINDS, type ModelKind } from '../core/models/index.js';
import { parseSpan } from '../core/predict/index.js';
import { systemClock } from '../core/util/clock.js';
import { writeFileAtomic } from '../core/util/fs-atomic.js';
import { parseGrid } from '../cli/grid.js';

export default class Backtest extends MmCommand {
  static override summary = 'trade the predicted actions with costs and compare with buy-and-hold';
  static override description =
    'A decision at the close of bar t is held over bar t+1 (or filled at the next open with --fill next-open); costs are ' +
    'charged on every change of position. Sources: --model <ref> (warns when the model was trained on these bars), ' +
    '--predictions <csv> (a saved table), or --refit-every with --train-window (walk-forward refits on past bars only).';
  static override examples = [
    '<%= config.bin %> backtest data/NVDA_5m_predict.csv --model latest --history data/NVDA_5m_train.csv --fee-bps 1 --slippage-bps 1',
    `<%= config.bin %> backtest data/NVDA_5m_train.csv --refit-every 10d --train-window 40d --model-kind rf --params '{"nTrees": 30}' --out out/bt`,
    `<%= config.bin %> backtest data/NVDA_5m_train.csv --refit-every 10d --train-window 40d --params '{"nTrees": 30}' --sweep min-confidence=0.4:0.8:0.05`,
  ];
  static override args = { csv: Args.string({ required: true, description: 'OHLCV CSV of the bars to trade' }) };
  static override flags = {
    model: Flags.string({ description: 'run id, alias or "latest" whose predictions to trade', exclusive: ['predictions', 'refit-every'] }),
    history: Flags.string({ description: 'with --model: earlier bars so the first bars are not warm-up' }),
    predictions: Flags.string({ description: 'a saved prediction table (mm predict --out)' }),
    'refit-every': Flags.string({ description: 'walk-forward: refit every n bars (390) or sessions (5d)', helpGroup: 'WALK-FORWARD' }),
    'train-window': Flags.string({ description: 'walk-forward: training span before each refit (default 20d; "all" = expanding)', helpGroup: 'WALK-FORWARD' }),
    'model-kind': Flags.string({ description: 'walk-forward: model kind', options: [...MODEL_KINDS], default: 'rf', helpGroup: 'WALK-FORWARD' }),
    params: Flags.string({ description: 'walk-forward: model parameters as JSON', helpGroup: 'WALK-FORWARD' }),
    ...windowFlag,
    ...labelFlags,
    ...seedFlag,
    'min-confidence': numberFlag({ description: 'act only at or above this top probability', default: 0.6, helpGroup: 'EXECUTION' }),
    strong: numberFlag({ description: 'position size for strong_buy / strong_sell', default: 1, helpGroup: 'EXECUTION' }),
    weak: numberFlag({ description: 'position size for buy / sell', default: 0.5, helpGroup: 'EXECUTION' }),
    'long-only': Flags.boolean({ description: 'sell signals go flat instead of short', helpGroup: 'EXECUTION' }),
    fill: Flags.string({ description: 'execution price', options: ['close', 'next-open'], default: 'close', helpGroup: 'EXECUTION' }),
    'fee-bps': numberFlag({ description: 'fee per unit of turnover, basis points', default: 0, helpGroup: 'EXECUTION' }),
    'slippage-bps': numberFlag({ description: 'slippage per unit of turnover, basis points', default: 0, helpGroup: 'EXECUTION' }),
    'flat-at-close': Flags.boolean({ description: 'close positions at the end of each session', helpGroup: 'EXECUTION' }),
    'stop-loss': numberFlag({ description: 'stop-loss per position, percent', helpGroup: 'EXECUTION' }),
    'take-profit': numberFlag({ description: 'take-profit per position, percent', helpGroup: 'EXECUTION' }),
    'periods-per-year': numberFlag({ description: 'annualisation (default: from the bar interval, 390-minute sessions, 252 days)' }),
    sweep: Flags.string({ description: 'tune on a validation range, e.g. min-confidence=0.4:0.8:0.05' }),
    validation: numberFlag({ description: 'with --sweep: share of rows used for tuning (the rest is the test)', default: 0.5 }),
    'sweep-metric': Flags.string({ description: 'with --sweep: what to maximise', options: ['sharpe', 'totalReturn', 'sortino', 'calmar', 'excessReturn'], default: 'sharpe' }),
    out: Flags.string({ char: 'o', description: 'directory for equity.csv, trades.csv and equity.svg' }),
    ...readFlags,
    ...registryFlag,
    ...executorFlags,
  };

  async run(): Promise<Omit<BacktestRunResult, 'series' | 'bars'>> {
    const { args, flags } = await this.parse(Backtest);
    const source = this.source(flags);
    const progress = stderrProgress(!this.jsonEnabled());
    // --refit-every: each refit window is a unit (threads or queue workers); the other sources have none.
    const executor = source.kind === 'walk-forward' ? await makeExecutor(flags, { registry: flags.registry, version: this.config.version }) : undefined;
    const r = await runBacktest({
      path: args.csv,
      ...defined({ tz: flags.tz, symbol: flags.symbol, periodsPerYear: flags['periods-per-year'] }),
      source,
      minConfidence: flags['min-confidence'],
      sizes: { strong: flags.strong, weak: flags.weak },
      longOnly: flags['long-only'] ?? false,
      fill: flags.fill as 'close' | 'next-open',
      feeBps: flags['fee-bps'],
      slippageBps: flags['slippage-bps'],
      flatAtClose: flags['flat-at-close'] ?? false,
      stopLossPct: flags['stop-loss'] ?? null,
      takeProfitPct: flags['take-profit'] ?? null,
      ...(flags.sweep === undefined ? {} : { sweep: { values: parseGrid(flags.sweep, 'min-confidence'), validationFraction: flags.validation, metric: flags['sweep-metric'] as 'sharpe' } }),
      registry: flags.registry,
      command: ['mm', 'backtest', ...redactArgv(this.argv)].join(' '),
      mmVersion: this.config.version,
      clock: systemClock,
      onProgress: progress.update,
      onUnit: (done: number, total: number, label: string) => progress.update(label, done, total),
      ...(executor === undefined ? {} : { executor }),
    }).finally(async () => {
      progress.done();
      await executor?.close();
    });
    if (r.overlap !== null) this.note(`the model was trained on ${r.overlap.bars} of the backtested bars: in-sample results`);
    const gate = confidenceNote(
      r.confidence,
      r.sweep === null ? `--sweep ${sweepGrid(r.confidence)}` : `a --sweep grid that reaches below ${r.confidence.maxConfidence?.toFixed(3)} (this one chose ${r.execution.minConfidence} on the validation rows)`,
    );
    if (gate !== null) this.note(gate);
    if (flags.out !== undefined) {
      writeOutputs(flags.out, r);
      this.wrote(flags.out, 'equity.csv, trades.csv, equity.svg');
    }
    this.print(renderBacktest(r, { chart: process.stdout.isTTY === true, width: Math.min(100, (process.stdout.columns ?? 80) - 14) }));
    const { series: _s, bars: _b, ...result } = r;
    return result;
  }

  private source(f: { model?: string | undefined; predictions?: string | undefined; history?: string | undefined; 'refit-every'?: string | undefined; 'train-window'?: string | undefined; 'model-kind': string; params?: string | undefined; window: number; seed: number; registry: string; scheme: string; horizon: number; t1?: number | undefined; t2?: number | undefined; q1?: number | undefined; q2?: number | undefined; k1?: number | undefined; k2?: number | undefined; 'vol-window'?: number | undefined }): BacktestSource {
    const given = [f.model, f.predictions, f['refit-every']].filter((x) => x !== undefined).length;
    if (given !== 1) throw new UsageError('give exactly one of --model, --predictions or --refit-every');
    if (f.model !== undefined) return { kind: 'model', registry: f.registry, ref: f.model, ...defined({ history: f.history }) };
    if (f.predictions !== undefined) return { kind: 'predictions', path: f.predictions };
    const tw = f['train-window'] ?? '20d';
    return {
      kind: 'walk-forward',
      features: defaultFeatureSpec(f.window),
      labels: makeLabelSpec(defined({ scheme: f.scheme, horizon: f.horizon, t1: f.t1, t2: f.t2, q1: f.q1, q2: f.q2, k1: f.k1, k2: f.k2, volWindow: f['vol-window'] })),
      model: f['model-kind'] as ModelKind,
      params: modelParamsFrom(defined({ params: f.params })),
      seed: f.seed,
      refitEvery: parseSpan(f['refit-every'] as string, '--refit-every'),
      trainWindow: tw === 'all' ? null : parseSpan(tw, '--train-window'),
    };
  }
}

function writeOutputs(dir: string, r: BacktestRunResult): void {
  const s = r.series;
  const c0 = r.bars.close[0] as number;
  // One row per bar straight from the typed series: exact numbers, streamed to the file.
  writeCsvFile(join(dir, 'equity.csv'), {
    columns: ['timestamp', 'close', 'position', 'bar_return', 'cost', 'equity', 'buy_hold_equity'],
    n: s.n,
    row(i: number, out: Cell[]): void {
      out[0] = isoUtc(s.time[i] as number);
      out[1] = r.bars.close[i] as number;
      out[2] = s.position[i] as number;
      out[3] = s.barReturn[i] as number;
      out[4] = s.cost[i] as number;
      out[5] = s.equity[i] as number;
      out[6] = (r.bars.close[i] as number) / c0;
    },
  });
  const t = s.trades;
  writeCsvFile(join(dir, 'trades.csv'), {
    columns: ['entry', 'exit', 'side', 'entry_price', 'exit_price', 'return', 'bars'],
    n: t.entryIndex.length,
    row(k: number, out: Cell[]): void {
      out[0] = isoUtc(s.time[t.entryIndex[k] as number] as number);
      out[1] = isoUtc(s.time[t.exitIndex[k] as number] as number);
      out[2] = t.side[k] as number;
      out[3] = t.entryPrice[k] as number;
      out[4] = t.exitPrice[k] as number;
      out[5] = t.ret[k] as number;
      out[6] = t.bars[k] as number;
    },
  });
  const bh = Float64Array.from(r.bars.close, (c) => c / c0);
  writeFileAtomic(join(dir, 'equity.svg'), svgChart([{ name: 'strategy', values: s.equity }, { name: 'buy & hold', values: bh }], { title: `${r.symbol ?? ''} backtest ${r.id}` }));
}
