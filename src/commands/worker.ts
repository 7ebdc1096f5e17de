import { Flags } from '@oclif/core';
import { MmCommand } from '../cli/base-command.js';
import { registryFlag } from '../cli/flags.js';
import { startWorker } from '../core/exec/index.js';
import { UNITS } from '../core/units/index.js';
import { cores } from '../core/util/threads.js';

export default class WorkerCommand extends MmCommand {
  static override summary = 'take units of work (fits, symbols, refits) from a BullMQ queue on Redis and run them';
  static override description =
    'A long-running process for `--queue` commands (compare, …): one log line per job on stderr; each unit runs on a ' +
    'worker thread, so job locks stay renewed during long fits. SIGTERM or Ctrl-C: stop taking jobs, finish the running ' +
    'ones, exit 0; a second signal gives running jobs back to the queue at once. A worker killed outright (SIGKILL, a lost ' +
    'host) has its job taken over by another worker after --lock-duration. Workers and coordinator must see the same ' +
    'input files (jobs carry paths + sha256) and the same --registry folder (large results come through it).';
  static override examples = [
    '<%= config.bin %> worker --queue redis://127.0.0.1:6379',
    '<%= config.bin %> worker --queue redis://127.0.0.1:6379 --concurrency 2 --registry /shared/runs',
  ];
  static override flags = {
    queue: Flags.string({ description: 'redis://[:password@]HOST:PORT of the queue', required: true }),
    concurrency: Flags.integer({ description: 'jobs run at once, each on its own thread (default: one per core)', min: 1 }),
    'lock-duration': Flags.integer({ description: 'ms a job stays locked without renewal before another worker takes it over', default: 30_000, min: 1000, helpGroup: 'FAULTS' }),
    'stalled-interval': Flags.integer({ description: 'ms between checks for jobs of dead workers', default: 30_000, min: 500, helpGroup: 'FAULTS' }),
    ...registryFlag,
  };

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(WorkerCommand);
    let jobs = 0;
    // Handlers first: a supervisor may send SIGTERM the moment it reads the worker's first log line
    // (printed inside startWorker), or while the worker is still connecting. A signal that comes
    // before the worker exists is acted on as soon as it does.
    let w: Awaited<ReturnType<typeof startWorker>> | null = null;
    let signals = 0;
    let early: NodeJS.Signals | null = null;
    let resolveStop: (sig: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      resolveStop = resolve;
    });
    const act = (sig: NodeJS.Signals, worker: NonNullable<typeof w>): void => {
      if (signals === 1) {
        process.stderr.write(`mm worker: ${sig}: finishing the running jobs (again to give them back now)\n`);
        void worker.close(false).then(() => resolveStop(sig));
      } else {
        process.stderr.write(`mm worker: ${sig}: giving the running jobs back to the queue\n`);
        void worker.close(true).then(() => resolveStop(sig));
      }
    };
    let firstSignal: NodeJS.Signals | null = null;
    const on = (sig: NodeJS.Signals): void => {
      signals++;
      firstSignal ??= sig;
      if (w === null) early = sig;
      else act(sig, w);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
    w = await startWorker({
      url: flags.queue,
      concurrency: flags.concurrency ?? cores(),
      registry: flags.registry,
      version: this.config.version,
      units: UNITS,
      lockDuration: flags['lock-duration'],
      stalledInterval: flags['stalled-interval'],
      log: (line) => {
        if (/ (done|failed) /.test(line)) jobs++;
        process.stderr.write(`${line}\n`);
      },
      now: () => new Date(),
    });
    if (early !== null) act(early, w);
    const ended = await Promise.race([stopped, w.closed.then(() => 'closed')]);
    // the run loop may report its end before the close it was asked for does: name the signal then
    const sig = firstSignal ?? ended;
    process.stderr.write(`mm worker: stopped (${sig}) after ${jobs} jobs\n`);
    return { worker: w.name, jobs, stoppedBy: sig };
  }
}
