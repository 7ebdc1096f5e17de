import { Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { queueStatus, type QueueStatus } from '../core/exec/index.js';

export default class Workers extends MmCommand {
  static override summary = 'workers alive on a BullMQ queue and its jobs waiting, active and failed';
  static override examples = ['<%= config.bin %> workers --queue redis://127.0.0.1:6379', '<%= config.bin %> workers --queue redis://127.0.0.1:6379 --json'];
  static override flags = {
    queue: Flags.string({ description: 'redis://[:password@]HOST:PORT of the queue', required: true }),
  };

  async run(): Promise<QueueStatus> {
    const { flags } = await this.parse(Workers);
    const s = await queueStatus(flags.queue);
    const lines = [
      `queue ${s.queue} on ${s.url}`,
      `workers alive: ${s.workers.length}`,
      ...s.workers.map((w) => `  ${w.name.padEnd(28)} ${w.addr.padEnd(22)} up ${w.ageSeconds} s, idle ${w.idleSeconds} s`),
      `jobs: ${s.jobs.waiting} waiting, ${s.jobs.active} active, ${s.jobs.delayed} delayed, ${s.jobs.failed} failed, ${s.jobs.completed} completed (kept)`,
      ...s.recentFailures.map((f) => `  failed ${f.id} ${f.label}: ${f.reason}`),
    ];
    this.print(lines.join('\n'));
    return s;
  }
}
