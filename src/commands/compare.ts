import { Args, Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { defined } from '../cli/defined.js';
import { labelFlags, readFlags, registryFlag, seedFlag, windowFlag } from '../cli/flags.js';
import { calibrateFlag, parseCandidates } from '../cli/model-flags.js';
import { executorFlags, makeExecutor } from '../cli/executor.js';
import { stderrProgress } from '../cli/progress.js';
import { redactArgv } from '../core/exec/index.js';
import { renderCompare } from '../cli/render/compare.js';
import { DEFAULT_RANK_METRIC, RANK_METRICS, runComparison, type ComparisonResult, type RankMetric } from '../core/compare/index.js';
import { expandInputs } from '../core/data/index.js';
import { readFeatureSpecFile } from '../core/dataset/index.js';
import { defaultFeatureSpec } from '../core/features/index.js';
import { makeLabelSpec } from '../core/labels/index.js';
import { systemClock } from '../core/util/clock.js';

export default class Compare extends MmCommand {
  static override summary = 'walk-forward comparison of candidate models against the naive baselines';
  static override description =
    'Every candidate and both baselines (majority, persistence) run on the same folds; thresholds and scalers are ' +
    'refitted inside each fold on its training rows. Candidates are ranked by mean log-loss across folds unless --metric ' +
    'says otherwise; a candidate whose out-of-fold log-loss is not below the majority baseline\'s is marked uncalibrated. ' +
    'The verdict (real / worse / not significant) is read off the block-bootstrap interval of the difference to the best ' +
    'baseline. Each candidate is recorded as a run (refitted on all bars) and the comparison under <registry>/comparisons/.';
  static override examples = [
    '<%= config.bin %> compare data/NVDA_5m_train.csv --models rf,logreg --folds 3',
    '<%= config.bin %> compare data/NVDA_5m_train.csv --models logreg,knn --metric macroF1 --mode rolling --train-size 2000 --json',
    '<%= config.bin %> compare data/NVDA_5m_train.csv --models rf,logreg --folds 3 --threads 1',
    '<%= config.bin %> compare data/h1/train --models rf,logreg --folds 3 --thresholds fixed,quantile,vol --symbol-feature ordinal',
    `<%= config.bin %> compare data/NVDA_5m_train.csv --models rf,logreg --folds 3 --params '{"rf":{"nTrees":50,"maxDepth":8},"logreg":{"C":0.5}}'`,
  ];
  static override strict = false;
  static override args = { csv: Args.string({ required: true, description: 'OHLCV CSV file(s), a directory or a glob; several symbols pool into one model' }) };
  static override flags = {
    ...readFlags,
    ...windowFlag,
    spec: Flags.string({ description: 'feature spec JSON file (overrides --window)' }),
    ...labelFlags,
    models: Flags.string({ description: 'comma-separated candidates (default: all kinds)' }),
    thresholds: Flags.string({ description: 'comma-separated threshold schemes to choose from by CV (default: --scheme)', helpGroup: 'LABELS' }),
    'symbol-feature': Flags.string({ description: 'several symbols: how the model sees the symbol', options: ['none', 'ordinal', 'onehot'], default: 'ordinal', helpGroup: 'POOLED' }),
    'market-context': Flags.boolean({ description: 'several symbols: add basket return, breadth, basket volatility and relative return at each bar (from bars ≤ t)', default: false, helpGroup: 'POOLED' }),
    params: Flags.string({ description: 'per-kind parameters as JSON or a JSON file: {"rf": {...}, "mlp": {...}}' }),
    calibrate: calibrateFlag(),
    folds: Flags.integer({ description: 'walk-forward folds', default: 5, helpGroup: 'EVALUATION' }),
    mode: Flags.string({ description: 'training window', options: ['expanding', 'rolling'], default: 'expanding', helpGroup: 'EVALUATION' }),
    'train-size': Flags.integer({ description: 'rolling mode: training bars per fold', helpGroup: 'EVALUATION' }),
    embargo: Flags.integer({ description: 'bars after each test block later folds do not train on (default: the horizon)', helpGroup: 'EVALUATION' }),
    metric: Flags.string({ description: 'ranking metric (log-loss, a proper scoring rule, by default; Brier, ECE and macro F1 are shown beside it)', options: Object.keys(RANK_METRICS), default: DEFAULT_RANK_METRIC, helpGroup: 'EVALUATION' }),
    resamples: Flags.integer({ description: 'bootstrap resamples for the confidence intervals', default: 1000, helpGroup: 'EVALUATION' }),
    'block-sessions': Flags.integer({ description: 'sessions per bootstrap block', default: 1, helpGroup: 'EVALUATION' }),
    tag: Flags.string({ description: 'key=value tag recorded with every run', multiple: true }),
    ...seedFlag,
    ...registryFlag,
    ...executorFlags,
  };

  async run(): Promise<ComparisonResult> {
    const { argv, flags } = await this.parse(Compare);
    const schemes = flags.thresholds === undefined ? [flags.scheme] : flags.thresholds.split(',').map((x) => x.trim()).filter((x) => x !== '');
    const labelsList = [...new Set(schemes)].map((scheme) =>
      makeLabelSpec(defined({ scheme, horizon: flags.horizon, t1: flags.t1, t2: flags.t2, q1: flags.q1, q2: flags.q2, k1: flags.k1, k2: flags.k2, volWindow: flags['vol-window'] })),
    );
    const labels = labelsList[0] as (typeof labelsList)[number];
    const progress = stderrProgress(!this.jsonEnabled());
    const executor = await makeExecutor(flags, { registry: flags.registry, version: this.config.version });
    const result = await runComparison(
      {
        paths: expandInputs(argv as string[]),
        symbolEncoding: flags['symbol-feature'] as 'none' | 'ordinal' | 'onehot',
        marketContext: flags['market-context'],
        ...defined({ tz: flags.tz, symbol: flags.symbol }),
        features: flags.spec === undefined ? defaultFeatureSpec(flags.window) : readFeatureSpecFile(flags.spec),
        labels: labelsList,
        candidates: parseCandidates(flags.models, flags.params, flags.calibrate),
        cv: { kind: 'walk-forward', folds: flags.folds, mode: flags.mode as 'expanding' | 'rolling', purge: labels.horizon, embargo: flags.embargo ?? labels.horizon, trainSize: flags['train-size'] ?? null },
        metric: flags.metric as RankMetric,
        bootstrap: { resamples: flags.resamples, blockSessions: flags['block-sessions'] },
        seed: flags.seed,
        registry: flags.registry,
        command: ['mm', 'compare', ...redactArgv(this.argv)].join(' '),
        mmVersion: this.config.version,
        tags: Object.fromEntries((flags.tag ?? []).map((t) => [t.split('=')[0] ?? t, t.includes('=') ? t.slice(t.indexOf('=') + 1) : ''])),
      },
      { clock: systemClock, onProgress: progress.update, executor, onUnit: (done, total, label) => progress.update(label, done, total) },
    ).finally(async () => {
      progress.done();
      await executor.close();
    });
    this.print(renderCompare(result));
    return result;
  }
}
