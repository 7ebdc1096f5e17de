import { Args, Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { defined } from '../cli/defined.js';
import { labelFlags, numberFlag, readFlags, registryFlag, seedFlag, windowFlag } from '../cli/flags.js';
import { modelFlags, modelParamsFrom } from '../cli/model-flags.js';
import { stderrProgress } from '../cli/progress.js';
import { renderTrain } from '../cli/render/train.js';
import { readFeatureSpecFile } from '../core/dataset/index.js';
import { defaultFeatureSpec } from '../core/features/index.js';
import { makeLabelSpec } from '../core/labels/index.js';
import type { ModelKind } from '../core/models/index.js';
import { trainModel, trainPooled, type PooledTrainResult, type TrainResult } from '../core/train/index.js';
import { expandInputs } from '../core/data/index.js';
import { UsageError } from '../core/errors.js';
import { renderPooledTrain } from '../cli/render/train-pooled.js';
import { systemClock } from '../core/util/clock.js';

export default class Train extends MmCommand {
  static override summary = 'fit a model on a chronological split and score it against naive baselines';
  static override description =
    'The last --test-size of the bars is the test set, after a purge of the label horizon; nothing is shuffled. ' +
    'Label thresholds are fitted on training rows only. The run is recorded under the registry.';
  static override examples = [
    '<%= config.bin %> train data/NVDA_5m_train.csv',
    '<%= config.bin %> train data/NVDA_5m_train.csv --model et --trees 50 --scheme vol --tag purpose=demo',
    '<%= config.bin %> train data/NVDA_5m_train.csv --json | jq .metrics.model.macroF1',
    '<%= config.bin %> train data/NVDA_5m_train.csv --calibrate isotonic --test-from 2023-04-03',
    `<%= config.bin %> train data/NVDA_5m_train.csv --model ens --params '{"members": ["rf", "logreg"]}'`,
    '<%= config.bin %> train data/h1/train/*.csv --symbol-feature ordinal --threshold-scope pooled',
  ];
  static override strict = false;
  static override args = { csv: Args.string({ required: true, description: 'OHLCV CSV file(s); several symbols train one pooled model' }) };
  static override flags = {
    ...readFlags,
    ...windowFlag,
    spec: Flags.string({ description: 'feature spec JSON file (overrides --window)' }),
    ...labelFlags,
    ...modelFlags,
    'test-size': numberFlag({ description: 'share of the bars held out at the end for testing', default: 0.3 }),
    'test-from': Flags.string({ description: 'test on the bars from this date or ISO time on (e.g. 2023-01-03) instead of --test-size' }),
    tag: Flags.string({ description: 'key=value tag recorded with the run', multiple: true }),
    'symbol-feature': Flags.string({ description: 'several symbols: how the model sees the symbol', options: ['none', 'ordinal', 'onehot'], default: 'ordinal', helpGroup: 'POOLED' }),
    'market-context': Flags.boolean({ description: 'several symbols: add basket return, breadth, basket volatility and relative return at each bar (from bars ≤ t)', default: false, helpGroup: 'POOLED' }),
    'threshold-scope': Flags.string({ description: 'several symbols: fit quantile thresholds over all symbols or per symbol', options: ['pooled', 'symbol'], default: 'pooled', helpGroup: 'POOLED' }),
    ...seedFlag,
    ...registryFlag,
  };

  async run(): Promise<TrainResult | PooledTrainResult> {
    const { argv, flags } = await this.parse(Train);
    const paths = expandInputs(argv as string[]);
    const progress = stderrProgress(!this.jsonEnabled());
    const common = {
      features: flags.spec === undefined ? defaultFeatureSpec(flags.window) : readFeatureSpecFile(flags.spec),
      labels: makeLabelSpec(defined({ scheme: flags.scheme, horizon: flags.horizon, t1: flags.t1, t2: flags.t2, q1: flags.q1, q2: flags.q2, k1: flags.k1, k2: flags.k2, volWindow: flags['vol-window'] })),
      model: { kind: flags.model as ModelKind, params: modelParamsFrom(flags) },
      testFraction: flags['test-size'],
      ...defined({ testFrom: parseTestFrom(flags['test-from']) }),
      seed: flags.seed,
      registry: flags.registry,
      command: ['mm', 'train', ...this.argv].join(' '),
      mmVersion: this.config.version,
      tags: parseTags(flags.tag ?? []),
    };
    const deps = { clock: systemClock, onProgress: progress.update };
    if (paths.length === 1 && flags['market-context']) throw new UsageError('--market-context needs several symbols (the basket); pass the constituents together');
    if (paths.length > 1) {
      if (flags.symbol !== undefined) throw new UsageError('--symbol names one symbol; with several files each file names its own');
      const pooled = await trainPooled(
        { ...common, paths, ...defined({ tz: flags.tz }), symbolEncoding: flags['symbol-feature'] as 'none' | 'ordinal' | 'onehot', marketContext: flags['market-context'], thresholdScope: flags['threshold-scope'] as 'pooled' | 'symbol' },
        deps,
      ).finally(progress.done);
      this.print(renderPooledTrain(pooled));
      return pooled;
    }
    const result = await trainModel({ ...common, path: paths[0] as string, ...defined({ tz: flags.tz, symbol: flags.symbol }) }, deps).finally(progress.done);
    this.print(renderTrain(result));
    return result;
  }
}

/** `--test-from`: a date (YYYY-MM-DD, midnight UTC: before any US session of that day) or an ISO time with an offset. */
function parseTestFrom(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v);
  const t = ok ? Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v) : NaN;
  if (!Number.isFinite(t)) throw new UsageError(`--test-from must be a date (YYYY-MM-DD) or an ISO time with an offset, got "${v}"`);
  return t;
}

function parseTags(tags: string[]): Record<string, string> {
  return Object.fromEntries(
    tags.map((t) => {
      const i = t.indexOf('=');
      return i > 0 ? [t.slice(0, i), t.slice(i + 1)] : [t, ''];
    }),
  );
}
