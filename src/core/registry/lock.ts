import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConflictError } from '../errors.js';
import type { Clock } from '../util/clock.js';

export interface LockOptions {
  clock: Clock;
  /** How long to wait for another process to release the lock before giving up. */
  timeoutMs: number;
  pollMs?: number;
  /**
   * A lock file without a readable owner (zero bytes: its creator was killed between creating it
   * and writing its pid) older than this is reclaimed. Writing the owner takes microseconds, so the
   * default of 10 s never takes a lock that is being set up.
   */
  ownerlessStaleMs?: number;
}

/** Default age after which an ownerless (empty or unreadable) lock file is reclaimed. */
export const OWNERLESS_STALE_MS = 10_000;

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

/** True when no process with this pid exists on this host. */
export function pidGone(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * A lock can be taken over safely when it was left by a process on this host that no longer
 * exists, or when it has no readable owner and is older than `ownerlessMs` (a kill between
 * creating the file and writing the pid leaves it empty forever).
 */
function isStale(owner: LockOwner | null, ageMs: number, ownerlessMs: number): boolean {
  if (owner === null) return ageMs >= ownerlessMs;
  return owner.host === hostname() && pidGone(owner.pid);
}

/**
 * Remove the stale lock file judged by its inode `ino`, without ever removing a lock someone else
 * created meanwhile: the file is first renamed aside, and if it turns out to be a newer lock it is
 * linked back (link fails rather than overwrite when yet another lock appeared).
 */
function reclaim(path: string, ino: number): void {
  const aside = `${path}.stale.${process.pid}.${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already: someone else reclaimed or released it
  }
  try {
    if (statSync(aside).ino !== ino) {
      try {
        linkSync(aside, path);
      } catch {
        // another lock exists now; the one we moved aside was never ours to keep
      }
    }
  } finally {
    rmSync(aside, { force: true });
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
      let st;
      try {
        st = statSync(path);
      } catch {
        continue; // released between our open and stat
      }
      const owner = readOwner(path);
      if (isStale(owner, Date.now() - st.mtimeMs, o.ownerlessStaleMs ?? OWNERLESS_STALE_MS)) {
        reclaim(path, st.ino);
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
