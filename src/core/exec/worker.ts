import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Job, Worker } from 'bullmq';
import { AppError } from '../errors.js';
import { sha256, writeFileAtomic } from '../util/fs-atomic.js';
import { encodeValue } from './codec.js';
import { errorToData } from './errors.js';
import { checkRedis, connectionOptions, INLINE_RESULT_LIMIT, QUEUE_NAME, QUEUE_PREFIX, RESULTS_DIR, type JobData, type JobResult } from './queue.js';
import { parseRedisUrl } from './redis-url.js';
import { ThreadPool } from './threads.js';
import type { UnitTable } from './types.js';

export interface WorkerOptions {
  url: string;
  concurrency: number;
  /** Shared registry: large results are written under <registry>/queue-results/. */
  registry: string;
  version: string;
  /** The whitelist this worker runs (kinds outside it fail once). */
  units: UnitTable;
  /** ms a job's lock lasts without renewal before another worker may take the job over. */
  lockDuration: number;
  /** ms between checks for jobs whose worker died. */
  stalledInterval: number;
  log: (line: string) => void;
  now: () => Date;
}

export interface RunningWorker {
  name: string;
  /** Stop taking jobs; finish the running ones (force: give them back to the queue at once). */
  close(force?: boolean): Promise<void>;
  closed: Promise<void>;
}

/**
 * `mm worker`: take jobs from the queue and run each unit on a worker thread (so this thread keeps
 * renewing job locks however long a fit takes). Results come back inline when small, through the
 * registry folder when large. Bad input fails a job once (UnrecoverableError) with its exit code in
 * the reason; anything else is retried per the job's attempts.
 * @throws ConflictError (exit 5) when Redis cannot be reached.
 */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const target = parseRedisUrl(o.url);
  await checkRedis(target);
  const { Worker: BullWorker, UnrecoverableError } = await import('bullmq');
  const pool = new ThreadPool(o.concurrency, o.registry);
  const name = `${hostname()}:${process.pid}`;
  const resultsDir = join(o.registry, RESULTS_DIR);
  const stamp = (): string => o.now().toISOString().replace(/\.\d{3}Z$/, 'Z');

  const processor = async (job: Job): Promise<JobResult> => {
    const d = job.data as Partial<JobData>;
    const label = typeof d.label === 'string' ? d.label.slice(0, 200) : '?';
    const t0 = performance.now();
    try {
      if (d.v !== o.version) throw new AppError('CONFLICT', `job made by mm ${String(d.v)}, this worker runs mm ${o.version}`, { hint: 'run workers of the same version as the coordinator' });
      if (typeof d.kind !== 'string' || !o.units.has(d.kind)) throw new AppError('USAGE', `unknown unit kind ${JSON.stringify(d.kind)}`);
      const result = await pool.submit(d.kind, d.params, label);
      const text = JSON.stringify(encodeValue(result));
      let out: JobResult;
      if (text.length <= INLINE_RESULT_LIMIT) out = { inline: JSON.parse(text) as unknown };
      else {
        const file = `${job.id}.json`;
        writeFileAtomic(join(resultsDir, file), text);
        out = { file, sha256: sha256(text), bytes: Buffer.byteLength(text) };
      }
      o.log(`${stamp()} ${job.id} ${d.kind} ${label}: done in ${((performance.now() - t0) / 1000).toFixed(2)} s${'file' in out ? ` (result ${out.bytes} B via ${RESULTS_DIR}/)` : ''}`);
      return out;
    } catch (err) {
      const e = errorToData(err);
      o.log(`${stamp()} ${job.id} ${String(d.kind)} ${label}: failed (${e.code}) ${e.message}`);
      const reason = `[mm:${e.code}] ${e.message}`;
      // bad input or a job this worker cannot run: retrying cannot help
      if (e.code !== 'INTERNAL') throw new UnrecoverableError(reason);
      throw new Error(reason);
    }
  };

  const worker: Worker = new BullWorker(QUEUE_NAME, processor, {
    connection: connectionOptions(target, { blocking: true }),
    prefix: QUEUE_PREFIX,
    concurrency: o.concurrency,
    lockDuration: o.lockDuration,
    stalledInterval: o.stalledInterval,
    // a job whose worker was killed is taken over up to twice before it counts as failed
    maxStalledCount: 2,
    name,
    autorun: false,
  });
  let lastError = '';
  worker.on('error', (err) => {
    const msg = err.message.replaceAll(target.password ?? '\u0000', '***');
    if (msg !== lastError) o.log(`${stamp()} redis error: ${msg}`);
    lastError = msg;
  });
  worker.on('stalled', (id) => o.log(`${stamp()} ${id} stalled (its worker died?): back to the queue`));
  await worker.waitUntilReady();
  const closed = worker.run().then(() => pool.close());
  o.log(`${stamp()} worker ${name} on ${target.safe}, queue ${QUEUE_PREFIX}:${QUEUE_NAME}, concurrency ${o.concurrency}`);
  return {
    name,
    closed,
    async close(force = false) {
      await worker.close(force);
      await pool.close();
    },
  };
}
