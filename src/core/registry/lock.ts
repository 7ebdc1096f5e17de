import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConflictError } from '../errors.js';
import type { Clock } from '../util/clock.js';

export interface LockOptions {
  clock: Clock;
  /** How long to wait for another process to release the lock before giving up. */
  timeoutMs: number;
  pollMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function readOwner(path: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host, since: String(o.since) } : null;
  } catch {
    return null;
  }
}

/** A lock left by a process on this host that no longer exists can be taken over safely. */
function isStale(owner: LockOwner | null): boolean {
  if (owner === null || owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Take an exclusive lock file (created with O_EXCL, so two processes can never both hold it),
 * waiting up to `timeoutMs`; a lock whose owner process died is reclaimed. Returns the release
 * function; callers must call it in a `finally`.
 * @throws ConflictError when another live process holds the lock past the timeout.
 */
export function acquireLock(path: string, o: LockOptions, what = 'the registry lock'): () => void {
  const poll = o.pollMs ?? 25;
  const start = o.clock.elapsed();
  let fd: number | null = null;
  while (fd === null) {
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(path);
      if (isStale(owner)) {
        rmSync(path, { force: true });
        continue;
      }
      if (o.clock.elapsed() - start >= o.timeoutMs) {
        const who = owner === null ? 'another process' : `process ${owner.pid} on ${owner.host} since ${owner.since}`;
        throw new ConflictError(`${what} ${path} is held by ${who}`, {
          hint: `another mm command is running; retry later${o.timeoutMs === 0 ? ' or wait for it (--wait <seconds>)' : ''}, or delete ${path} if no mm process is running`,
        });
      }
      sleep(poll);
    }
  }
  const release = (): void => rmSync(path, { force: true });
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: o.clock.now().toISOString() }));
    closeSync(fd);
  } catch (e) {
    release();
    throw e;
  }
  return release;
}

/**
 * Run `fn` while holding an exclusive lock file (see acquireLock).
 * @throws ConflictError when another live process holds the lock past the timeout.
 */
export function withLock<T>(path: string, o: LockOptions, fn: () => T): T {
  const release = acquireLock(path, o);
  try {
    return fn();
  } finally {
    release();
  }
}
