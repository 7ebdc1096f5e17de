import { MmCommand } from '../cli/base-command.js';
import { registryFlag } from '../cli/flags.js';
import { tableOutput } from '../cli/output.js';
import { num } from '../cli/render/table.js';
import { listRuns, readAliases } from '../core/registry/index.js';

export default class Models extends MmCommand {
  static override summary = 'list aliases with the runs they point at and their key metrics';
  static override examples = ['<%= config.bin %> models', '<%= config.bin %> models --json'];
  static override flags = { ...registryFlag };

  async run(): Promise<{ aliases: Record<string, unknown>[] }> {
    const { flags } = await this.parse(Models);
    const runs = new Map(listRuns(flags.registry).map((r) => [r.id, r]));
    const aliases = [...readAliases(flags.registry)].map(([alias, id]) => {
      const r = runs.get(id);
      return { alias, runId: id, kind: r?.kind ?? null, symbols: r?.symbols ?? [], macroF1: r?.macroF1 ?? null, logLoss: r?.logLoss ?? null, baselineMacroF1: r?.baselineMacroF1 ?? null, status: r === undefined ? 'missing run' : r.error ?? 'ok' };
    });
    if (aliases.length === 0) this.note('no aliases yet; set one with `mm promote <run> --alias champion`');
    else {
      const rows = aliases.map((a) => [a.alias, a.runId, a.kind ?? '–', a.symbols.join(' '), num(a.macroF1), num(a.baselineMacroF1), num(a.logLoss), a.status]);
      this.print(tableOutput({ columns: ['alias', 'run', 'kind', 'symbols', 'macro_f1', 'best_baseline_f1', 'log_loss', 'status'], rows }, undefined));
    }
    return { aliases };
  }
}
