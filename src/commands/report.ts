import { Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { registryFlag } from '../cli/flags.js';
import { collectRegistry, renderRegistryHtml } from '../core/report/index.js';
import { writeFileAtomic } from '../core/util/fs-atomic.js';

export interface ReportResult {
  out: string;
  bytes: number;
  runs: number;
  comparisons: number;
  backtests: number;
  wss: number;
}

export default class Report extends MmCommand {
  static override summary = 'write a static HTML report of the registry (runs, metrics, comparisons, backtests, WSS)';
  static override description =
    'One self-contained HTML file (inline CSS and SVG, no scripts, no network): runs with key metrics and aliases, ' +
    'comparison records, per run the confusion matrix heatmap, per-class metrics and ROC/PR curves, backtest statistics ' +
    'with the equity curve beside buy-and-hold, and mm wss records with their series, signal counts and index evaluation.';
  static override examples = [
    '<%= config.bin %> report --out report.html',
    '<%= config.bin %> report --registry runs --out out/report.html --json',
  ];
  static override flags = {
    out: Flags.string({ char: 'o', description: 'HTML file to write (atomic)', required: true }),
    title: Flags.string({ description: 'page title', default: 'mm registry report' }),
    ...registryFlag,
  };

  async run(): Promise<ReportResult> {
    const { flags } = await this.parse(Report);
    const view = collectRegistry(flags.registry);
    const html = renderRegistryHtml(view, { generatedAt: new Date().toISOString(), title: flags.title });
    writeFileAtomic(flags.out, html);
    this.wrote(flags.out, `${view.runs.length} runs, ${view.comparisons.length} comparisons, ${view.backtests.length} backtests, ${view.wss.length} WSS records`);
    return { out: flags.out, bytes: Buffer.byteLength(html), runs: view.runs.length, comparisons: view.comparisons.length, backtests: view.backtests.length, wss: view.wss.length };
  }
}
