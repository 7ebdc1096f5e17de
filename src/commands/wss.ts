import { Args, Flags } from '@oclif/core';
import { confidenceNote, sweepGrid } from '../cli/render/confidence.js';
import { MmCommand } from '../cli/base-command.js';
import { defined } from '../cli/defined.js';
import { numberFlag, registryFlag } from '../cli/flags.js';
import { renderWss } from '../cli/render/wss.js';
import { parseGrid } from '../cli/grid.js';
import { isoUtc } from '../core/data/index.js';
import { confidenceReach } from '../core/predict/index.js';
import { systemClock } from '../core/util/clock.js';
import { executorFlags, makeExecutor } from '../cli/executor.js';
import { stderrProgress } from '../cli/progress.js';
import { redactArgv } from '../core/exec/index.js';
import { recordWss, runWssBatch, signalName, wssSummary, writeWssOutputs, type WssResult, type WssUse } from '../core/wss/index.js';

export default class Wss extends MmCommand {
  static override summary = 'Weighted Sentiment Score of index constituents → hourly BUY/SELL/HOLD for index futures';
  static override description =
    'Predicts every constituent with one model, then WSS_t = Σ score_i × w_i over the weighted symbols with a prediction at t ' +
    '(weights renormalised over them). The same vote of the persistence baseline is shown beside it; with --index both are ' +
    'scored against the index\'s next-bar return. Each run is recorded under <registry>/wss/ for mm report. ' +
    '--out writes <SYMBOL>.csv per constituent, wss.csv and summary.json.';
  static override examples = [
    '<%= config.bin %> wss data/h1/batch --weights data/weights_qqq_2024-12-26.csv --model latest --history data/h1/train --out out/wss',
    '<%= config.bin %> wss data/h1/batch --weights data/weights_qqq_2024-12-26.csv --model latest --history data/h1/train --use expected --index data/h1/QQQ_1h.csv',
  ];
  static override strict = false;
  static override args = { csv: Args.string({ required: true, description: 'constituent CSVs, a directory or a glob' }) };
  static override flags = {
    weights: Flags.string({ char: 'w', description: 'CSV with symbol and weight or weight_pct (a holdings download works)', required: true }),
    model: Flags.string({ description: 'run id, alias or "latest"', required: true }),
    use: Flags.string({ description: 'what each symbol contributes', options: ['action', 'decision', 'expected'], default: 'action' }),
    buy: numberFlag({ description: 'BUY when WSS ≥ this', default: 0.5 }),
    sell: numberFlag({ description: 'SELL when WSS ≤ this', default: -0.5 }),
    'min-coverage': numberFlag({ description: 'share of index weight that must be present, else HOLD and flagged', default: 0 }),
    'min-confidence': numberFlag({ description: 'confidence gate for --use decision', default: 0.6 }),
    history: Flags.string({ description: 'earlier bars of the constituents (directory or glob), so no warm-up is lost' }),
    index: Flags.string({ description: 'index bars (QQQ/NQ) to score the signal against' }),
    'fee-bps': numberFlag({ description: 'with --index: fee per unit of turnover when trading the index on the signal', default: 0 }),
    'slippage-bps': numberFlag({ description: 'with --index: slippage per unit of turnover', default: 0 }),
    sweep: Flags.string({ description: 'with --index: tune symmetric thresholds on a validation range, e.g. threshold=0.1:0.6:0.1' }),
    validation: numberFlag({ description: 'with --sweep: share of the hours used for tuning (the rest is the test)', default: 0.5 }),
    out: Flags.string({ char: 'o', description: 'directory for per-symbol tables, wss.csv and summary.json' }),
    tz: Flags.string({ description: 'IANA zone for timestamps without an offset' }),
    ...registryFlag,
    ...executorFlags,
  };

  async run(): Promise<Record<string, unknown>> {
    const { argv, flags } = await this.parse(Wss);
    // Scoring a symbol is cheap: extra threads only when asked for; --queue sends one job per symbol.
    const executor = await makeExecutor(flags, { registry: flags.registry, version: this.config.version, defaultThreads: 1 });
    const progress = stderrProgress(!this.jsonEnabled());
    const r = await runWssBatch({
      inputs: argv as string[],
      weightsPath: flags.weights,
      registry: flags.registry,
      ref: flags.model,
      minConfidence: flags['min-confidence'],
      use: flags.use as WssUse,
      buy: flags.buy,
      sell: flags.sell,
      minCoverage: flags['min-coverage'],
      feeBps: flags['fee-bps'],
      slippageBps: flags['slippage-bps'],
      ...defined({ history: flags.history === undefined ? undefined : [flags.history], tz: flags.tz, indexPath: flags.index }),
      ...(flags.sweep === undefined ? {} : { sweep: { grid: parseGrid(flags.sweep, 'threshold'), validationFraction: flags.validation } }),
    }, { executor, onUnit: (done, total) => progress.update(`${done}/${total} symbols scored`) }).finally(async () => {
      progress.done();
      await executor.close();
    });
    const rec = recordWss(flags.registry, r, { createdAt: systemClock.now(), command: ['mm', 'wss', ...redactArgv(this.argv)].join(' '), mmVersion: this.config.version });
    const summary = wssSummary(r);
    if (flags.out !== undefined) this.wrote(flags.out, `${writeWssOutputs(flags.out, r).length} files (<SYMBOL>.csv per constituent, wss.csv, wss_persistence.csv, summary.json)`);
    this.print(renderWss(r, { chart: process.stdout.isTTY === true, width: Math.min(100, (process.stdout.columns ?? 80) - 12) }));
    this.print(`recorded wss ${rec.id} (${rec.path})`);
    // Only --use decision goes through the confidence gate; say so when it let nothing through.
    const reach = confidenceReach(r.predictions.results.map((p) => p.table), flags['min-confidence']);
    const input = r.predictions.results[0]?.data.source;
    const gate = flags.use === 'decision' && input !== undefined ? confidenceNote(reach, `mm backtest ${input} --model ${flags.model} --sweep ${sweepGrid(reach)}, or --use expected`) : null;
    if (gate !== null) this.note(gate);
    return { id: rec.id, ...summary, confidence: { ...reach, note: gate }, series: wssJson(r.wss) };
  }
}

/** The WSS series as records for --json (times as ISO strings, NaN as null). */
function wssJson(w: WssResult): Record<string, unknown>[] {
  const iso = isoUtc;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < w.n; i++) {
    const v = w.wss[i] as number;
    out.push({
      timestamp: iso(w.times[i] as number),
      timestamp_next: Number.isFinite(w.timeNext[i] as number) ? iso(w.timeNext[i] as number) : null,
      wss: Number.isFinite(v) ? v : null,
      signal: signalName(w.signal[i] as number),
      coverage: w.coverage[i] as number,
      n_symbols: w.nSymbols[i],
    });
  }
  return out;
}
