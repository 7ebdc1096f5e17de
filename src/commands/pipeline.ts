import { Args } from '@oclif/core';
import { readFileSync } from 'node:fs';
import { MmCommand } from '../cli/base-command.js';
import { numberFlag, registryFlag } from '../cli/flags.js';
import { AppError, type ErrorCode } from '../core/errors.js';
import { readPipelineConfig, runPipeline, type PipelineResult, type StepRecord } from '../core/pipeline/index.js';
import { systemClock } from '../core/util/clock.js';
import { makeExecutor } from '../cli/executor.js';
import { stderrProgress } from '../cli/progress.js';

export default class Pipeline extends MmCommand {
  static override summary = 'cron-safe flow: ingest → compare → gate → promote → predict (→ drift)';
  static override description =
    'Driven by a JSON config (see README). Logs go to stderr as plain lines, the result to stdout. A second pipeline ' +
    'started while one runs exits 5 (or waits with --wait); nothing changes when the data and config are unchanged ' +
    'since the last successful run. Each run is recorded in <registry>/pipelines/.';
  static override examples = ['<%= config.bin %> pipeline examples/pipeline-nvda.json', '<%= config.bin %> pipeline examples/pipeline-nasdaq.json --wait 600 --json'];
  static override args = { config: Args.string({ required: true, description: 'pipeline config JSON' }) };
  static override flags = {
    wait: numberFlag({ description: 'seconds to wait for a running pipeline before giving up (exit 5)', default: 0 }),
    ...registryFlag,
  };

  async run(): Promise<PipelineResult> {
    const { args, flags } = await this.parse(Pipeline);
    const config = readPipelineConfig(args.config);
    // A bar for compare's fits on a terminal; each log line clears it first so lines stay whole.
    const progress = stderrProgress(!this.jsonEnabled());
    const result = await runPipeline({
      config,
      configText: readFileSync(args.config, 'utf8'),
      registry: flags.registry,
      waitSeconds: flags.wait,
      clock: systemClock,
      // the config's queue / threads: one executor for compare's fits and predict's symbols
      executor: (e) => makeExecutor({ threads: e.threads ?? undefined, queue: e.queue ?? undefined }, { registry: flags.registry, version: this.config.version }),
      mmVersion: this.config.version,
      log: (line) => {
        progress.done();
        process.stderr.write(`${new Date().toISOString()} mm pipeline ${line}\n`);
      },
      onProgress: progress.update,
    }).finally(progress.done);
    this.print(`pipeline ${result.id}: ${result.status}${result.error ? ` (${result.error.message})` : ''}\n${result.steps.map((s) => `  ${s.step}: ${s.status} in ${s.ms} ms${stepNote(s)}`).join('\n')}`);
    if (result.error !== null) {
      // The step's own error class and exit code, with the whole pipeline record attached.
      throw new AppError(result.error.code as ErrorCode, `pipeline ${result.id} stopped: ${result.error.message}`, {
        details: result,
        hint: `see ${flags.registry}/pipelines/${result.id}.json; earlier steps' artefacts are complete`,
      });
    }
    return result;
  }
}

/** One line of what a step found, for the text output (the JSON has everything). */
function stepNote(s: StepRecord): string {
  const d = s.details as Record<string, unknown> | null;
  if (d === null || typeof d !== 'object') return typeof d === 'string' ? ` (${d})` : '';
  switch (s.step) {
    case 'ingest': {
      const rows = d as unknown as { symbol: string; added: number; duplicates: number }[];
      return ` (${rows.length} symbols, ${rows.reduce((a, r) => a + r.added, 0)} new bars, ${rows.reduce((a, r) => a + r.duplicates, 0)} already stored)`;
    }
    case 'compare': {
      const r = d as { best: string | null; ranking: { name: string; macroF1: number; beatsBaselines: boolean | null }[] };
      const top = r.ranking.find((x) => x.beatsBaselines !== null);
      return top === undefined ? '' : ` (best model ${top.name}, macro F1 ${top.macroF1.toFixed(3)}${top.beatsBaselines ? '' : ', does NOT beat both baselines'}; ranking ${r.ranking.map((x) => x.name).join(' > ')})`;
    }
    case 'gate':
      return d['promoted'] === true ? ` (alias → ${String(d['to'])})` : ` (champion kept: ${String(d['reason'])})`;
    case 'predict':
      return 'hours' in d ? ` (${String(d['hours'])} WSS hours)` : ` (${(d['tables'] as { rows: number }[]).reduce((a, t) => a + t.rows, 0)} predictions by ${String(d['model'])})`;
    case 'drift':
      return ` (${String(d['nDrifted'])} of ${String(d['nColumns'])} columns drift)`;
    default:
      return '';
  }
}
