import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { writeJsonAtomic } from '../util/fs-atomic.js';
import { RUN_ID_RE } from './layout.js';
import { withLock } from './lock.js';
import { openRegistry, readAliases, readRun } from './store.js';

/** Longest alias name (MLflow allows 255; a name is typed and printed in tables). */
export const MAX_ALIAS_LENGTH = 64;

/**
 * MLflow's alias rules, a little stricter: letters, digits, `_` and `-` (MLflow's set), at most 64
 * characters, starting with a letter or digit (so no `__proto__`-style names and no flags);
 * reserved case-insensitively as MLflow reserves them: `latest` and `v<digits>` (they name
 * versions); and nothing shaped like a run id, which `<ref>` would read as one.
 * @throws UsageError (exit 2) naming the rule that was broken.
 */
export function validateAliasName(name: string): string {
  const hint = 'pick a name such as champion or staging';
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  if (name.length > MAX_ALIAS_LENGTH) throw new UsageError(`alias ${shown} is ${name.length} characters long; at most ${MAX_ALIAS_LENGTH}`, { hint });
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) {
    throw new UsageError(`alias ${shown} must start with a letter or digit and contain only letters, digits, "_" and "-"`, { hint });
  }
  if (name.toLowerCase() === 'latest' || /^v\d+$/i.test(name)) {
    throw new UsageError(`alias ${shown} is reserved (latest and v<number> name versions, not aliases; case does not matter)`, { hint });
  }
  if (RUN_ID_RE.test(name)) throw new UsageError(`alias ${shown} looks like a run id, which a reference would read as one`, { hint });
  return name;
}

/** One line of runs/aliases.log.jsonl. */
export interface AliasLogEntry {
  time: string;
  alias: string;
  from: string | null;
  to: string;
  forced: boolean;
  pid: number;
  gate: unknown;
}

export interface SetAliasOptions {
  clock: Clock;
  lockTimeoutMs: number;
  forced: boolean;
  /**
   * Called under the lock with the run the alias points at right now; returns the gate outcome to
   * log, or throws to abort without changing anything. Deciding inside the lock means two
   * concurrent promotions cannot both pass a gate against the same stale champion.
   */
  gate: (current: string | null) => unknown;
}

/**
 * Point an alias at a run, under the registry lock, and append the change to the audit log.
 * @throws UsageError for a bad alias name; NotFoundError for an unknown run; ConflictError when
 *   the lock is held; whatever `gate` throws (nothing is changed then).
 */
export function setAlias(root: string, alias: string, runId: string, o: SetAliasOptions): AliasLogEntry {
  validateAliasName(alias);
  const p = openRegistry(root, { create: true });
  readRun(root, runId);
  return withLock(p.aliasesLock, { clock: o.clock, timeoutMs: o.lockTimeoutMs }, () => {
    const aliases = readAliases(root);
    const from = aliases.get(alias) ?? null;
    const gate = o.gate(from);
    const entry: AliasLogEntry = { time: o.clock.now().toISOString(), alias, from, to: runId, forced: o.forced, pid: process.pid, gate };
    // The log line goes first (and reaches the disk) so that every alias state anyone can ever
    // see has its line. A crash between the two leaves a line for a move that did not happen;
    // the next line's `from` shows the state that was really in place.
    appendDurably(p.aliasesLog, `${JSON.stringify(entry)}\n`);
    aliases.set(alias, runId);
    writeJsonAtomic(p.aliases, Object.fromEntries(aliases));
    return entry;
  });
}

/** Append `text` to a file and fsync it before returning. */
function appendDurably(path: string, text: string): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
