import { Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { defined } from '../cli/defined.js';
import { numberFlag, registryFlag } from '../cli/flags.js';
import { tableOutput } from '../cli/output.js';
import { driftHtml, driftTable, driftVerdict } from '../cli/render/drift.js';
import { runDrift, type DriftResult, type NumericMethod } from '../core/drift/index.js';
import { CheckFailedError } from '../core/errors.js';
import { writeFileAtomic } from '../core/util/fs-atomic.js';

export default class Drift extends MmCommand {
  static override summary = 'data drift of current bars against a reference (CSV or a run\'s training data)';
  static override description =
    'Per feature (and with --model the predicted-class mix): KS p-value when the reference has ≤ 1000 rows, else Wasserstein ' +
    'distance / reference std; PSI is reported beside. The dataset drifts when ≥ 50% of columns drift (Evidently\'s defaults).';
  static override examples = [
    '<%= config.bin %> drift --reference data/NVDA_5m_train.csv --current data/NVDA_5m_predict.csv',
    '<%= config.bin %> drift --reference champion --current data/NVDA_5m_predict.csv --model champion --out drift.html',
    {
      description: 'In cron: the JSON report, and exit 6 when the data drifted (exits 6 here: the bundled months differ)',
      command: '<%= config.bin %> drift --reference latest --current data/NVDA_5m_predict.csv --fail-on-drift --json',
    },
  ];
  static override flags = {
    reference: Flags.string({ char: 'r', description: 'reference CSV, or a run id / alias / "latest" (its training rows)', required: true }),
    current: Flags.string({ char: 'c', description: 'current CSV', required: true }),
    model: Flags.string({ description: 'also compare the predicted-class mix of this run id / alias' }),
    out: Flags.string({ char: 'o', description: 'write a self-contained HTML report here' }),
    'fail-on-drift': Flags.boolean({ description: 'exit 6 when the dataset drifts (for cron)' }),
    method: Flags.string({ description: 'statistic for numeric columns', options: ['auto', 'ks', 'wasserstein', 'psi'], default: 'auto', helpGroup: 'THRESHOLDS' }),
    'ks-p': numberFlag({ description: 'KS: drift when p < this (default 0.05)', helpGroup: 'THRESHOLDS' }),
    wasserstein: numberFlag({ description: 'drift when Wasserstein / std(ref) ≥ this (default 0.1)', helpGroup: 'THRESHOLDS' }),
    psi: numberFlag({ description: 'drift when PSI ≥ this (default 0.1)', helpGroup: 'THRESHOLDS' }),
    'chi-p': numberFlag({ description: 'predicted-class mix: drift when chi-square p < this (default 0.05)', helpGroup: 'THRESHOLDS' }),
    'drift-share': numberFlag({ description: 'dataset drifts when at least this share of columns drift (default 0.5)', helpGroup: 'THRESHOLDS' }),
    'small-rows': Flags.integer({ description: 'reference rows up to which KS / chi-square decide (default 1000)', helpGroup: 'THRESHOLDS' }),
    window: Flags.integer({ char: 'w', description: 'feature window when no run gives the spec', default: 20 }),
    tz: Flags.string({ description: 'IANA zone for timestamps without an offset' }),
    ...registryFlag,
  };

  async run(): Promise<DriftResult> {
    const { flags } = await this.parse(Drift);
    const r = runDrift({
      reference: flags.reference,
      current: flags.current,
      registry: flags.registry,
      window: flags.window,
      ...defined({ model: flags.model, tz: flags.tz }),
      options: defined({
        method: flags.method as NumericMethod, ksPValue: flags['ks-p'], wassersteinThreshold: flags.wasserstein, psiThreshold: flags.psi,
        chiSquarePValue: flags['chi-p'], driftShare: flags['drift-share'], smallSampleRows: flags['small-rows'],
      }),
    });
    if (flags.out !== undefined) {
      writeFileAtomic(flags.out, driftHtml(r, new Date().toISOString()));
      this.wrote(flags.out);
    }
    this.print(tableOutput(driftTable(r), undefined));
    if (process.stdout.isTTY) this.print(driftVerdict(r));
    else this.note(driftVerdict(r));
    if (flags['fail-on-drift'] && r.report.drifted) {
      throw new CheckFailedError(driftVerdict(r), { hint: 'inspect the drifting columns; retrain on recent data if the shift persists', details: { drifted: true, nDrifted: r.report.nDrifted, share: r.report.share }, result: r as unknown as Record<string, unknown> });
    }
    return r;
  }
}
