import { Args, Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { defined } from '../cli/defined.js';
import { outFlag, readFlags, registryFlag, windowFlag } from '../cli/flags.js';
import { writeTable } from '../cli/output.js';
import { featureRows } from '../cli/render/features.js';
import { readSummary, reportJson } from '../cli/render/report.js';
import { expandInputs } from '../core/data/index.js';
import { featuresForFile, readFeatureSpecFile, type FeatureFileResult } from '../core/dataset/index.js';
import { resolve } from 'node:path';
import { executorFlags, makeExecutor } from '../cli/executor.js';
import { stderrProgress } from '../cli/progress.js';
import type { Unit } from '../core/exec/index.js';
import type { FeaturesUnitParams, FeaturesUnitResult } from '../core/units/index.js';
import { sha256File } from '../core/util/fs-atomic.js';
import { concatRows, JsonRows, type RowSource } from '../core/util/table-stream.js';
import { defaultFeatureSpec, type FeatureSpec } from '../core/features/index.js';

export default class Features extends MmCommand {
  static override summary = 'compute the default feature set of an OHLCV CSV';
  static override description = 'Rows before the warm-up window W are left out unless --all. Values at t use bars ≤ t only.';
  static override examples = [
    '<%= config.bin %> features data/NVDA_5m_train.csv | head',
    '<%= config.bin %> features data/NVDA_5m_train.csv --window 30 --out features.csv',
    '<%= config.bin %> features data/NVDA_5m_train.csv --json | jq .spec > spec.json',
  ];
  static override strict = false;
  static override args = { csv: Args.string({ required: true, description: 'OHLCV CSV file(s), a directory or a glob (several: one long table with a symbol column)' }) };
  static override flags = {
    ...readFlags,
    ...windowFlag,
    ...outFlag,
    spec: Flags.string({ description: 'feature spec JSON file (overrides --window)' }),
    all: Flags.boolean({ description: 'include the warm-up rows (empty cells)' }),
    ...executorFlags,
    ...registryFlag,
  };

  /** One unit per file: here by default, on threads with --threads N, on queue workers with --queue. */
  private async compute(paths: string[], spec: FeatureSpec, flags: { tz?: string | undefined; symbol?: string | undefined; threads?: number | undefined; queue?: string | undefined; registry: string }): Promise<FeatureFileResult[]> {
    const symbol = paths.length === 1 ? flags.symbol : undefined;
    // Files are cheap to featurise: extra threads only pay when asked for (see README, Scaling out).
    const executor = await makeExecutor(flags, { registry: flags.registry, version: this.config.version, defaultThreads: 1 });
    try {
      if (executor.kind === 'local') return paths.map((path) => featuresForFile({ path, spec, ...defined({ tz: flags.tz, symbol }) }));
      const units: Unit[] = paths.map((path) => {
        const params: FeaturesUnitParams = {
          source: { inputs: [{ path: resolve(path), sha256: sha256File(path) }], read: { minRows: spec.window + 1, ...defined({ tz: flags.tz, symbol }) } },
          display: path,
          spec,
        };
        return { kind: 'features.file', params, label: path };
      });
      const progress = stderrProgress(!this.jsonEnabled());
      const out = (await executor.run(units, (done, total) => progress.update(`${done}/${total} files`)).finally(progress.done)) as FeaturesUnitResult[];
      return out.map((r) => ({ ...r, spec }));
    } finally {
      await executor.close();
    }
  }

  async run(): Promise<Record<string, unknown>> {
    const { argv, flags } = await this.parse(Features);
    const spec = flags.spec === undefined ? defaultFeatureSpec(flags.window) : readFeatureSpecFile(flags.spec);
    const paths = expandInputs(argv as string[]);
    const results = await this.compute(paths, spec, flags);
    const tables = results.map((r) => featureRows(r.bars.time, r.frame, flags.all ? 0 : r.frame.warmup));
    // Several symbols: one long table, rows of each symbol in time order, a leading symbol column.
    const table = paths.length === 1 ? (tables[0] as RowSource) : concatRows('symbol', tables.map((t, i) => ({ key: results[i]?.bars.symbol ?? '', rows: t })));
    const first = results[0] as (typeof results)[number];
    const doc = { spec, warmup: first.frame.warmup, settledFrom: first.frame.settledFrom, data: results.map((r) => reportJson(r.report)), rows: new JsonRows(table) };
    if (this.jsonEnabled()) await this.emitJson(doc);
    else {
      await writeTable(table, flags.out);
      if (flags.out !== undefined) this.wrote(flags.out);
      if (process.stderr.isTTY) for (const r of results) this.note(readSummary(r.report));
    }
    return doc;
  }
}
