import { Flags } from '@oclif/core';
import { MmCommand } from '../../cli/base-command.js';
import { defined } from '../../cli/defined.js';
import { registryFlag } from '../../cli/flags.js';
import { tableOutput } from '../../cli/output.js';
import { runsTable } from '../../cli/render/runs.js';
import { listRuns, queryRuns, type RunSummary } from '../../core/registry/index.js';

export default class RunsList extends MmCommand {
  static override summary = 'list recorded runs with their key metrics and aliases';
  static override examples = [
    '<%= config.bin %> runs list',
    "<%= config.bin %> runs list --kind rf --where 'macroF1>0.2' --sort macroF1 --desc",
    "<%= config.bin %> runs list --tag purpose=demo --json | jq '.runs[].id'",
  ];
  static override flags = {
    kind: Flags.string({ description: 'only runs of this model kind' }),
    tag: Flags.string({ description: 'only runs with this tag (key or key=value)', multiple: true }),
    where: Flags.string({ description: "condition on a field, e.g. 'macroF1>0.3' (repeatable)", multiple: true }),
    sort: Flags.string({ description: 'sort by macroF1, logLoss, brier, ece, baselineMacroF1, rows, createdAt, id or kind' }),
    desc: Flags.boolean({ description: 'sort descending' }),
    ...registryFlag,
  };

  async run(): Promise<{ runs: RunSummary[] }> {
    const { flags } = await this.parse(RunsList);
    const runs = queryRuns(listRuns(flags.registry), defined({ kind: flags.kind, tags: flags.tag, where: flags.where, sort: flags.sort, desc: flags.desc }));
    if (runs.length === 0) this.note(`no matching runs in ${flags.registry}; train one with \`mm train <csv>\``);
    else this.print(tableOutput(runsTable(runs), undefined));
    return { runs };
  }
}
