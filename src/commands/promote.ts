import { stderrProgress } from '../cli/progress.js';
import { Args, Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { numberFlag, registryFlag } from '../cli/flags.js';
import { renderGate, renderPromote } from '../cli/render/promote.js';
import { CheckFailedError } from '../core/errors.js';
import { DEFAULT_GATE_METRIC, GATE_METRICS, parseGateMetric, promote, type GateResult, type PromoteResult } from '../core/promote/index.js';
import { systemClock } from '../core/util/clock.js';

export default class Promote extends MmCommand {
  static override summary = 'point an alias at a run if it beats the current holder (champion–challenger gate)';
  static override description =
    'The challenger must beat the run the alias holds now by --metric (log-loss by default), with at least ' +
    '--min-delta (absolute) and --min-rel-delta (relative) improvement, both scored on rows neither was fitted on: ' +
    'recorded metrics when both were evaluated on the same rows, else the champion re-scored on the challenger\'s unseen ' +
    'test rows, or its kind and parameters refitted on the challenger\'s training rows (or inside its folds) when its ' +
    'training span reaches them. A challenger whose log-loss is not below the majority baseline\'s is uncalibrated and ' +
    'not promoted. A failed gate exits 6 and changes nothing. Every change is appended to runs/aliases.log.jsonl.';
  static override examples = [
    '<%= config.bin %> promote latest --alias champion',
    '<%= config.bin %> promote latest --alias champion --metric macroF1 --min-delta 0.005',
    '<%= config.bin %> promote latest --alias champion --force',
  ];
  static override args = { ref: Args.string({ required: true, description: 'run id, alias or "latest" to promote' }) };
  static override flags = {
    alias: Flags.string({ char: 'a', description: 'alias to set', required: true }),
    metric: Flags.string({ description: 'gate metric (log-loss, a proper scoring rule, by default)', options: Object.keys(GATE_METRICS), default: DEFAULT_GATE_METRIC }),
    'min-delta': numberFlag({ description: 'minimum absolute improvement over the champion', default: 0 }),
    'min-rel-delta': numberFlag({ description: 'minimum relative improvement (0.01 = 1%)', default: 0 }),
    force: Flags.boolean({ description: 'promote even if the gate fails (recorded in the log)', default: false }),
    'lock-timeout': numberFlag({ description: 'seconds to wait for another process holding the registry lock', default: 10 }),
    ...registryFlag,
  };

  async run(): Promise<PromoteResult> {
    const { args, flags } = await this.parse(Promote);
    const progress = stderrProgress(!this.jsonEnabled());
    const result = await promote({
      registry: flags.registry,
      ref: args.ref,
      alias: flags.alias,
      metric: parseGateMetric(flags.metric),
      minDelta: flags['min-delta'],
      minRelDelta: flags['min-rel-delta'],
      force: flags.force,
      clock: systemClock,
      lockTimeoutMs: flags['lock-timeout'] * 1000,
      onProgress: progress.update,
    }).finally(progress.done).catch((e: unknown) => {
      // A refused promotion still shows how both runs were judged before the one-line error.
      const gate = e instanceof CheckFailedError ? (e.details as { gate?: GateResult } | undefined)?.gate : undefined;
      if (gate !== undefined) this.print(renderGate(gate));
      throw e;
    });
    this.print(renderPromote(result));
    return result;
  }
}
