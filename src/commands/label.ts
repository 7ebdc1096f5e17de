import { Args } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { defined } from '../cli/defined.js';
import { labelFlags, outFlag, readFlags } from '../cli/flags.js';
import { writeTable } from '../cli/output.js';
import { labelRows, renderLabelSummary } from '../cli/render/labels.js';
import { reportJson } from '../cli/render/report.js';
import { expandInputs } from '../core/data/index.js';
import { labelsForFile } from '../core/dataset/index.js';
import { concatRows, type RowSource } from '../core/util/table-stream.js';
import { ACTIONS, makeLabelSpec } from '../core/labels/index.js';

export default class Label extends MmCommand {
  static override summary = '5-class labels from the forward return, with thresholds and class balance';
  static override description =
    'On a terminal prints the thresholds and the class balance; the per-bar labels go to --out or to a pipe. ' +
    'A quantile scheme is fitted on the whole file here; `mm train` fits it on training rows only.';
  static override examples = [
    '<%= config.bin %> label data/NVDA_5m_train.csv',
    '<%= config.bin %> label data/NVDA_5m_train.csv --scheme fixed --t1 0.001 --t2 0.003 --out labels.csv',
    '<%= config.bin %> label data/NVDA_5m_train.csv --scheme vol --k1 0.5 --k2 1.5 --json',
  ];
  static override strict = false;
  static override args = { csv: Args.string({ required: true, description: 'OHLCV CSV file(s), a directory or a glob (each file labelled with its own thresholds)' }) };
  static override flags = { ...readFlags, ...labelFlags, ...outFlag };

  async run(): Promise<Record<string, unknown>> {
    const { argv, flags } = await this.parse(Label);
    const spec = makeLabelSpec(defined({ scheme: flags.scheme, horizon: flags.horizon, t1: flags.t1, t2: flags.t2, q1: flags.q1, q2: flags.q2, k1: flags.k1, k2: flags.k2, volWindow: flags['vol-window'] }));
    const paths = expandInputs(argv as string[]);
    const results = paths.map((path) => labelsForFile({ path, spec, ...defined({ tz: flags.tz, symbol: paths.length === 1 ? flags.symbol : undefined }) }));
    const tables = results.map(labelRows);
    const table = paths.length === 1 ? (tables[0] as RowSource) : concatRows('symbol', tables.map((t, i) => ({ key: results[i]?.bars.symbol ?? '', rows: t })));
    if (!this.jsonEnabled()) {
      if (flags.out !== undefined || !process.stdout.isTTY) await writeTable(table, flags.out);
      if (flags.out !== undefined) this.wrote(flags.out);
      if (flags.out !== undefined || process.stdout.isTTY) for (const r of results) this.print(`${r.bars.symbol ?? r.report.source}: ${renderLabelSummary(r)}`);
    }
    const summary = results.map((r) => {
      const labelled = r.counts.reduce((a, b) => a + b, 0);
      return {
        symbol: r.bars.symbol,
        data: reportJson(r.report),
        labels: r.spec,
        labelled,
        unlabelled: r.bars.n - labelled,
        balance: Object.fromEntries(ACTIONS.map((a, k) => [a, r.counts[k] ?? 0])),
      };
    });
    return summary.length === 1 ? (summary[0] as Record<string, unknown>) : { symbols: summary };
  }
}
