import { Args, Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { defined } from '../cli/defined.js';
import { numberFlag, readFlags, registryFlag } from '../cli/flags.js';
import { tableOutput, writeTable } from '../cli/output.js';
import { confidenceNote, sweepGrid } from '../cli/render/confidence.js';
import { decisionCounts, predictionSummary } from '../cli/render/predictions.js';
import { reportJson } from '../cli/render/report.js';
import { expandInputs } from '../core/data/index.js';
import { UsageError } from '../core/errors.js';
import { confidenceReach, predictFile, predictionSource, predictManyOn, writePredictionCsv, type ConfidenceReach } from '../core/predict/index.js';
import { JsonRows, JsonRowsByKey } from '../core/util/table-stream.js';
import { executorFlags, makeExecutor } from '../cli/executor.js';
import { stderrProgress } from '../cli/progress.js';
import { pathInside } from '../core/util/safe-path.js';

export default class Predict extends MmCommand {
  static override summary = 'batch prediction table for a CSV of bars';
  static override description =
    'One row per bar with a full warm-up window: action, confidence, decision (hold below --min-confidence), ' +
    'per-class probabilities and the next bar\'s timestamp from the session calendar.';
  static override examples = [
    '<%= config.bin %> predict data/NVDA_5m_predict.csv --model latest',
    '<%= config.bin %> predict data/NVDA_5m_predict.csv --model champion --history data/NVDA_5m_train.csv --out predictions.csv',
    '<%= config.bin %> predict data/NVDA_5m_predict.csv --model latest --min-confidence 0.5 --json',
  ];
  static override strict = false;
  static override args = { csv: Args.string({ required: true, description: 'OHLCV CSV file(s), a directory or a glob of the bars to score' }) };
  static override flags = {
    model: Flags.string({ description: 'run id, alias or "latest"', required: true }),
    'min-confidence': numberFlag({ description: 'act only at or above this top probability, else hold', default: 0.6 }),
    history: Flags.string({ description: 'earlier bars (file, or a directory/glob matched by symbol), so the batch needs no warm-up of its own' }),
    ...readFlags,
    out: Flags.string({ char: 'o', description: 'CSV file to write (one input), or a directory for one <SYMBOL>.csv per input' }),
    ...registryFlag,
    ...executorFlags,
  };

  async run(): Promise<Record<string, unknown>> {
    const { argv, flags } = await this.parse(Predict);
    const inputs = expandInputs(argv as string[]);
    if (inputs.length > 1) return this.many(inputs, flags);
    const r = predictFile({
      path: inputs[0] as string,
      registry: flags.registry,
      ref: flags.model,
      minConfidence: flags['min-confidence'],
      ...defined({ historyPath: flags.history, tz: flags.tz, symbol: flags.symbol }),
    });
    const rows = predictionSource(r.table);
    const confidence = this.gateNote(confidenceReach(r.table, r.table.minConfidence), inputs[0] as string, flags);
    const doc = {
      model: { runId: r.runId, alias: r.alias },
      minConfidence: r.table.minConfidence,
      data: reportJson(r.data),
      warmupSkipped: r.table.warmupSkipped,
      unsettledRows: r.table.unsettledRows,
      counts: decisionCounts(r.table),
      confidence,
      predictions: new JsonRows(rows),
    };
    if (this.jsonEnabled()) await this.emitJson(doc);
    else {
      await writeTable(rows, flags.out);
      if (flags.out !== undefined) this.wrote(flags.out);
      if (flags.out !== undefined || process.stdout.isTTY) this.print(predictionSummary(r.table));
    }
    return doc;
  }

  /** Say so (stderr) when no bar reaches the confidence gate; the same facts go into --json. */
  private gateNote(reach: ConfidenceReach, input: string, flags: { model: string; history?: string | undefined }): ConfidenceReach & { note: string | null } {
    const history = flags.history === undefined ? '' : ` --history ${flags.history}`;
    const note = confidenceNote(reach, `mm backtest ${input} --model ${flags.model}${history} --sweep ${sweepGrid(reach)}`);
    if (note !== null) this.note(note);
    return { ...reach, note };
  }

  /** Several symbols: one table per input, written as <out>/<SYMBOL>.csv, and a summary. */
  private async many(inputs: string[], flags: { registry: string; model: string; 'min-confidence': number; history?: string | undefined; tz?: string | undefined; out?: string | undefined; threads?: number | undefined; queue?: string | undefined }): Promise<Record<string, unknown>> {
    if (flags.out === undefined && !this.jsonEnabled()) {
      throw new UsageError('several inputs need --out <dir> (one CSV per symbol) or --json');
    }
    // Scoring a symbol is cheap: extra threads only when asked for; --queue sends one job per symbol.
    const executor = await makeExecutor(flags, { registry: flags.registry, version: this.config.version, defaultThreads: 1 });
    const progress = stderrProgress(!this.jsonEnabled());
    const r = await predictManyOn({
      inputs,
      registry: flags.registry,
      ref: flags.model,
      minConfidence: flags['min-confidence'],
      ...defined({ history: flags.history === undefined ? undefined : [flags.history], tz: flags.tz }),
    }, executor, (done, total) => progress.update(`${done}/${total} symbols scored`)).finally(async () => {
      progress.done();
      await executor.close();
    });
    if (flags.out !== undefined) {
      for (const p of r.results) writePredictionCsv(pathInside(flags.out, `${p.symbol}.csv`), p.table);
      this.wrote(flags.out, `${r.results.length} prediction tables (<SYMBOL>.csv)`);
    }
    const summary = r.results.map((p) => ({ symbol: p.symbol, rows: p.table.n, warmupSkipped: p.table.warmupSkipped, ...decisionCounts(p.table).decision }));
    this.print(tableOutput({ columns: Object.keys(summary[0] ?? {}), rows: summary.map((x) => Object.values(x)) }, undefined));
    if (r.unusedHistory.length > 0) this.note(`history without a batch file: ${r.unusedHistory.join(', ')}`);
    const confidence = this.gateNote(confidenceReach(r.results.map((p) => p.table), flags['min-confidence']), r.results[0]?.data.source ?? inputs[0] as string, flags);
    const doc = {
      model: { runId: r.model.run.id, alias: r.model.alias },
      minConfidence: flags['min-confidence'],
      confidence,
      summary,
      unusedHistory: r.unusedHistory,
      predictions: new JsonRowsByKey(r.results.map((p) => ({ key: p.symbol, rows: predictionSource(p.table) }))),
    };
    if (this.jsonEnabled()) await this.emitJson(doc);
    return doc;
  }
}
