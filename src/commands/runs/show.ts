import { Args } from '@oclif/core';
import { MmCommand } from '../../cli/base-command.js';
import { registryFlag } from '../../cli/flags.js';
import { renderRun } from '../../cli/render/run.js';
import { readRun, resolveRef, type RunRecord } from '../../core/registry/index.js';

export default class RunsShow extends MmCommand {
  static override summary = 'show one run: data, specs, thresholds, split and metrics';
  static override examples = ['<%= config.bin %> runs show latest', '<%= config.bin %> runs show champion --json'];
  static override args = { ref: Args.string({ required: true, description: 'run id, alias or "latest"' }) };
  static override flags = { ...registryFlag };

  /** `--json`: the record under `run`, and its metrics also at `.metrics`, where `mm train --json` has them. */
  async run(): Promise<{ runId: string; run: RunRecord; alias: string | null; metrics: RunRecord['metrics'] }> {
    const { args, flags } = await this.parse(RunsShow);
    const { id, alias } = resolveRef(flags.registry, args.ref);
    const run = readRun(flags.registry, id);
    this.print(renderRun(run));
    return { runId: run.id, run, alias, metrics: run.metrics };
  }
}
