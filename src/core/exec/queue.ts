import type { EventEmitter } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { AppError, ConflictError, DataError, EXIT_CODES, type ErrorCode } from '../errors.js';
import { sha256 } from '../util/fs-atomic.js';
import { decodeValue } from './codec.js';
import { parseRedisUrl, type RedisTarget } from './redis-url.js';
import { batchWeight, unitWeight, type Executor, type Unit, type UnitProgress } from './types.js';

/** The BullMQ queue every `mm` coordinator and worker shares (keys under the `mm` prefix). */
export const QUEUE_NAME = 'units';
export const QUEUE_PREFIX = 'mm';
/** Results above this many bytes of JSON go through the registry folder instead of Redis. */
export const INLINE_RESULT_LIMIT = 64 * 1024;
/** Where large results are written, under the (shared) registry. */
export const RESULTS_DIR = 'queue-results';
/**
 * Redis stays bounded: finished jobs are kept at most an hour and at most 1,000 (completed) /
 * 5,000 (failed) of them, the event stream at ~1,000 entries, and no job result above
 * INLINE_RESULT_LIMIT is stored in Redis.
 */
export const KEEP_COMPLETED = { age: 3600, count: 1000 };
export const KEEP_FAILED = { age: 24 * 3600, count: 5000 };
export const EVENTS_MAX_LEN = 1000;

/** What a job carries: the unit (kind + plain params), its label, and the mm version that made it. */
export interface JobData {
  v: string;
  kind: string;
  params: unknown;
  label: string;
}

/** What a worker returns: the encoded result inline, or the name and hash of a file under RESULTS_DIR. */
export type JobResult = { inline: unknown } | { file: string; sha256: string; bytes: number };

/** Deterministic job id: the same unit of the same mm version is the same job (a restarted coordinator reuses it). */
export function jobIdFor(version: string, kind: string, params: unknown): string {
  return `u${sha256(JSON.stringify([version, kind, params])).slice(0, 40)}`;
}

/** ioredis options for a target; `blocking` connections (workers, events) must retry commands forever. */
export function connectionOptions(t: RedisTarget, o: { blocking: boolean; giveUpAfterMs?: number }): Record<string, unknown> {
  const c: Record<string, unknown> = {
    host: t.host,
    port: t.port,
    db: t.db,
    connectTimeout: 3000,
    maxRetriesPerRequest: o.blocking ? null : 3,
    // workers keep retrying (Redis restarts); a coordinator gives up so it can exit 5 instead of hanging
    retryStrategy: (times: number) => (o.giveUpAfterMs === undefined ? Math.min(times * 200, 2000) : times * 500 > o.giveUpAfterMs ? null : 500),
  };
  if (t.username !== undefined) c['username'] = t.username;
  if (t.password !== undefined) c['password'] = t.password;
  if (t.tls) c['tls'] = {};
  return c;
}

/**
 * Connect once, fail fast: PING within a few seconds or a ConflictError (exit 5) naming the URL
 * without its password.
 */
export async function checkRedis(t: RedisTarget): Promise<void> {
  const { Redis } = await import('ioredis');
  const conn = { ...connectionOptions(t, { blocking: false }), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false };
  const client = new Redis(conn);
  client.on('error', () => undefined);
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 4 s')), 4000).unref()),
    ]);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code ?? (err as Error).message;
    throw new ConflictError(`cannot reach Redis at ${t.safe}: ${why.replaceAll(t.password ?? '\u0000', '***')}`, {
      hint: 'start redis-server (Debian: apt-get install redis-server) or fix --queue',
    });
  } finally {
    client.disconnect();
  }
}

/**
 * Wait for job `id` to finish: its `completed:<id>` / `failed:<id>` event, or its state read once
 * QueueEvents listens (it may have finished before the listeners were set). Resolves with the
 * return value, rejects with an Error carrying the failure reason, with the Redis error when a call
 * fails, or when the job is in no list (cleaned away after finishing: no event would ever come).
 * BullMQ's Job.waitUntilFinished does this inside an async Promise executor, so a Redis call failing
 * there (Redis gone mid-run) became an unhandled rejection that ended the coordinator with exit 1
 * and no message, and its promise never settled.
 */
export function waitFinished(queue: Queue, events: QueueEvents, id: string): Promise<unknown> {
  // per-job event names and 'closing' are not in BullMQ's typed listener maps
  const ev = events as unknown as EventEmitter;
  const q = queue as unknown as EventEmitter;
  return new Promise((resolve, reject) => {
    const completed = `completed:${id}`;
    const failed = `failed:${id}`;
    const off = (): void => {
      ev.removeListener(completed, onCompleted);
      ev.removeListener(failed, onFailed);
      q.removeListener('closing', onClosing);
    };
    function onCompleted(args: { returnvalue: unknown }): void {
      off();
      resolve(args.returnvalue);
    }
    function onFailed(args: { failedReason: string }): void {
      off();
      reject(new Error(args.failedReason));
    }
    function onClosing(msg: string): void {
      off();
      reject(new Error(msg));
    }
    ev.on(completed, onCompleted);
    ev.on(failed, onFailed);
    q.on('closing', onClosing);
    events
      .waitUntilReady()
      .then(async () => {
        const state = await queue.getJobState(id);
        // in no list at all: it finished and was cleaned away before this wait began, so no event will come
        if (state === 'unknown') throw new ConflictError(`job ${id} is no longer in the queue (removed after it finished)`, { hint: 'rerun the command: finished jobs that are still kept are not redone' });
        if (state !== 'completed' && state !== 'failed') return;
        const job = await queue.getJob(id);
        if (job === undefined) return;
        if (state === 'completed') onCompleted({ returnvalue: job.returnvalue });
        else onFailed({ failedReason: job.failedReason });
      })
      .catch((err: unknown) => {
        off();
        reject(err);
      });
  });
}

/** Rebuild a job's failure as the error it was: `[mm:BAD_INPUT] message` → DataError (exit 3). */
export function errorFromReason(reason: string, label: string): Error {
  const m = /^\[mm:([A-Z_]+)\] ([\s\S]*)$/.exec(reason);
  if (m !== null && m[1] !== 'INTERNAL' && Object.hasOwn(EXIT_CODES, m[1] as string)) {
    return new AppError(m[1] as ErrorCode, m[2] as string, { hint: `the job "${label}" failed on a worker; fix the input and rerun` });
  }
  return new Error(`job "${label}" failed on a worker: ${m === null ? reason : m[2]}`);
}

export interface QueueExecutorOptions {
  url: string;
  /** The registry this coordinator writes; workers must share it (large results come through it). */
  registry: string;
  version: string;
  /** Tries per job for failures that are not bad input (bad input fails once). */
  attempts?: number;
}

/**
 * BullMQ backend: one job per unit with a deterministic id, results gathered as jobs finish.
 * @throws ConflictError (exit 5) when Redis cannot be reached.
 */
export async function queueExecutor(o: QueueExecutorOptions): Promise<Executor> {
  const target = parseRedisUrl(o.url);
  await checkRedis(target);
  const { Queue, QueueEvents } = await import('bullmq');
  const conn = connectionOptions(target, { blocking: false, giveUpAfterMs: 5000 });
  const queue: Queue = new Queue(QUEUE_NAME, {
    connection: conn,
    prefix: QUEUE_PREFIX,
    streams: { events: { maxLen: EVENTS_MAX_LEN } },
  });
  const events: QueueEvents = new QueueEvents(QUEUE_NAME, { connection: { ...conn, maxRetriesPerRequest: null }, prefix: QUEUE_PREFIX });
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  let lost: ConflictError | null = null;
  const markLost = (): ConflictError => {
    lost ??= new ConflictError(`lost the connection to Redis at ${target.safe}`, { hint: 'rerun when Redis is back: finished jobs are not redone' });
    return lost;
  };
  const CONNECTION_LOST = /ECONNREFUSED|ENOTFOUND|ECONNRESET|EPIPE|EHOSTUNREACH|ETIMEDOUT|Connection is closed|Stream isn't writeable|max retries/i;
  const saysLost = (err: unknown): boolean => CONNECTION_LOST.test(`${(err as { code?: string }).code ?? ''} ${(err as Error).message ?? ''}`);
  const onLost = (err: Error): void => {
    if (saysLost(err)) markLost();
  };
  queue.on('error', onLost);
  events.on('error', onLost);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  // Our own connection watches Redis: when its reconnects give up (≈ 5 s), the run fails with exit 5.
  const { Redis } = await import('ioredis');
  const health = new Redis({ ...conn, maxRetriesPerRequest: 1 } as RedisOptions);
  health.on('error', () => undefined);
  const resultsDir = join(o.registry, RESULTS_DIR);

  const readResult = (id: string, rv: unknown): unknown => {
    const r = (typeof rv === 'string' ? JSON.parse(rv) : rv) as JobResult | null;
    if (r !== null && typeof r === 'object' && 'inline' in r) return decodeValue(r.inline);
    if (r !== null && typeof r === 'object' && 'file' in r && r.file === `${id}.json`) {
      const path = join(resultsDir, r.file);
      if (!existsSync(path)) return MISSING;
      const text = readFileSync(path, 'utf8');
      if (sha256(text) !== r.sha256) throw new DataError(`result file ${path} does not match its job's sha256`, { hint: 'the registry folder is shared by coordinator and workers: check it is the same on every host' });
      return decodeValue(JSON.parse(text));
    }
    throw new Error(`job ${id} returned no result`);
  };

  /**
   * The error to report for a failed Redis call: the lost-connection error (exit 5) when Redis went
   * away (an error that says so, or our own watch connection no longer ready a moment later), else
   * `err` itself. A call can fail before the connections' error events arrive, so a bare "Connection
   * is closed" from a job's wait would otherwise surface as an internal error.
   */
  const classified = new WeakSet<Error>();
  async function lostOr(err: unknown): Promise<unknown> {
    if (lost !== null) return lost;
    if (err instanceof AppError) return err;
    if (saysLost(err)) return markLost();
    for (let i = 0; i < 5 && health.status === 'ready' && lost === null; i++) await new Promise((r) => setTimeout(r, 100));
    return lost ?? (health.status === 'ready' ? err : markLost());
  }

  async function gather(units: Unit[], onDone?: UnitProgress): Promise<unknown[]> {
    const ids = units.map((u) => jobIdFor(o.version, u.kind, u.params));
    // A job that failed earlier (e.g. a worker crash past its retries) runs again; completed ones are reused.
    for (const id of ids) {
      if ((await queue.getJobState(id)) === 'failed') await (await queue.getJob(id))?.retry('failed');
    }
    const opts = (id: string) => ({
      jobId: id,
      attempts: o.attempts ?? 2,
      backoff: { type: 'fixed', delay: 500 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
    const jobs: Job[] = [];
    for (let i = 0; i < units.length; i += 500) {
      const chunk = units.slice(i, i + 500);
      jobs.push(...(await queue.addBulk(chunk.map((u, k) => ({
        name: u.kind,
        data: { v: o.version, kind: u.kind, params: u.params, label: u.label } satisfies JobData,
        opts: opts(ids[i + k] as string),
      })))));
    }
    let done = 0;
    const wait = async (i: number): Promise<unknown> => {
      const job = jobs[i] as Job;
      const label = (units[i] as Unit).label;
      for (let tries = 0; ; tries++) {
        let rv: unknown;
        try {
          rv = await waitFinished(queue, events, ids[i] as string);
        } catch (err) {
          const why = await lostOr(err);
          if (why !== err) throw why;
          if (err instanceof AppError) throw err;
          // a job's own failure, already classified: not to be read as a lost connection again
          const failed = errorFromReason((err as Error).message, label);
          classified.add(failed);
          throw failed;
        }
        const r = readResult(ids[i] as string, rv);
        if (r !== MISSING) {
          done += unitWeight(units[i] as Unit);
          onDone?.(done, batchWeight(units), label);
          return r;
        }
        // finished before, but its result file was cleaned up: run it again
        if (tries > 0) throw new Error(`job ${ids[i]} finished but its result file is missing in ${resultsDir}`);
        await job.retry('completed');
      }
    };
    const out = await Promise.all(units.map((_, i) => wait(i)));
    for (const id of ids) rmSync(join(resultsDir, `${id}.json`), { force: true });
    return out;
  }

  return {
    kind: 'queue',
    width: 0,
    cache: null,
    run(units: Unit[], onDone?: UnitProgress): Promise<unknown[]> {
      // A coordinator that cannot reach Redis any more (its reconnects gave up) exits 5 instead of hanging.
      let timer: NodeJS.Timeout | undefined;
      const watchdog = new Promise<never>((_, reject) => {
        timer = setInterval(() => {
          if (lost === null && health.status === 'end') markLost();
          if (lost !== null) reject(lost);
        }, 250);
      });
      const work = gather(units, onDone).catch(async (err: unknown) => {
        throw err instanceof Error && classified.has(err) ? err : await lostOr(err);
      });
      return Promise.race([work, watchdog]).finally(() => clearInterval(timer));
    },
    async close() {
      health.disconnect();
      // closing waits for Redis; with Redis gone it would wait forever, so give it 2 s
      let t: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([events.close(), queue.close()]), new Promise((r) => (t = setTimeout(r, lost === null ? 10_000 : 2000)))]);
      clearTimeout(t);
    },
  };
}

const MISSING = Symbol('missing result file');

export interface QueueStatus {
  url: string;
  queue: string;
  workers: { name: string; addr: string; ageSeconds: number; idleSeconds: number }[];
  jobs: { waiting: number; active: number; delayed: number; completed: number; failed: number };
  /** The most recent failures (job id, label, reason), newest first. */
  recentFailures: { id: string; label: string; reason: string; attempts: number }[];
}

/** Workers connected to the queue and job counts. @throws ConflictError (exit 5) when Redis cannot be reached. */
export async function queueStatus(url: string): Promise<QueueStatus> {
  const target = parseRedisUrl(url);
  await checkRedis(target);
  const { Queue } = await import('bullmq');
  const queue = new Queue(QUEUE_NAME, { connection: connectionOptions(target, { blocking: false, giveUpAfterMs: 5000 }), prefix: QUEUE_PREFIX });
  try {
    const [workers, counts, failed] = await Promise.all([
      queue.getWorkers(),
      queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'completed', 'failed'),
      queue.getFailed(0, 4),
    ]);
    const n = (k: string): number => counts[k] ?? 0;
    const prefix = `${QUEUE_PREFIX}:${Buffer.from(QUEUE_NAME).toString('base64')}:w:`;
    return {
      url: target.safe,
      queue: `${QUEUE_PREFIX}:${QUEUE_NAME}`,
      workers: workers.map((w) => ({
        name: (w['rawname'] ?? '').startsWith(prefix) ? (w['rawname'] as string).slice(prefix.length) : (w['rawname'] ?? ''),
        addr: w['addr'] ?? '',
        ageSeconds: Number(w['age'] ?? 0),
        idleSeconds: Number(w['idle'] ?? 0),
      })),
      jobs: { waiting: n('wait') + n('prioritized'), active: n('active'), delayed: n('delayed'), completed: n('completed'), failed: n('failed') },
      recentFailures: failed.map((j) => ({ id: j.id ?? '', label: String((j.data as Partial<JobData>).label ?? ''), reason: j.failedReason, attempts: j.attemptsMade })),
    };
  } finally {
    await queue.close();
  }
}
