import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { loadRunModel, type LoadedModel } from '../predict/index.js';
import { readRun, registryPaths, resolveRef, RUN_ID_RE } from '../registry/index.js';
import type { Clock } from '../util/clock.js';
import { barsNeeded } from './warmup.js';

/** The model being served, with the bars one prediction needs. */
export interface ServedModel extends LoadedModel {
  need: number;
}

/** The last reload that failed while the previous model kept serving. */
export interface ReloadError {
  message: string;
  at: string;
}

/** How often the holder looks for an alias move (default). */
export const DEFAULT_POLL_MS = 200;

/**
 * Holds the model a ref (alias, `latest` or run id) points at and swaps it when the ref moves, off
 * the request path: `current()` only returns the model in place (no file system call), while a
 * background poll (`start`, every `pollMs`, an unref'd timer) stats the watched file and, when it
 * changed, loads and verifies the new model (sha256 against run.json, state validation, kind and
 * feature count) and then swaps it in with one assignment. Requests keep the old model until the
 * swap; a model that fails to load never replaces it. aliases.json is replaced atomically (rename),
 * so its inode/mtime/size change whenever an alias moves; for `latest` the registry directory's
 * mtime changes when a run is renamed into it; a run id never moves. Polling needs no fs.watch
 * (unreliable on network and container file systems).
 */
export class ModelHolder {
  private model: ServedModel;
  private signature: string;
  private error: ReloadError | null = null;
  private readonly watched: string | null;
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<void> | null = null;
  private swaps = 0;

  /**
   * Load the ref's model now.
   * @throws NotFoundError when the ref does not resolve; DataError for corrupted run files.
   */
  constructor(
    private readonly registry: string,
    private readonly ref: string,
    private readonly clock: Clock,
    private readonly pollMs: number = DEFAULT_POLL_MS,
  ) {
    this.watched = RUN_ID_RE.test(ref) ? null : ref === 'latest' ? registry : registryPaths(registry).aliases;
    this.signature = stampSync(this.watched);
    this.model = load(registry, ref);
  }

  /** The model to use for this request: whatever is in place (never loads anything). */
  current(): ServedModel {
    return this.model;
  }

  /** Why the last reload failed (null after a successful one). */
  get reloadError(): ReloadError | null {
    return this.error;
  }

  /** How many times a new model was swapped in. */
  get reloads(): number {
    return this.swaps;
  }

  /** Start looking for alias moves in the background (idempotent; nothing to do for a run id). */
  start(): void {
    if (this.watched === null || this.timer !== null) return;
    this.timer = setInterval(() => void this.check(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Look once: when the watched file changed, load what the ref points at now and swap it in.
   * Resolves when that is done (at once when nothing changed or a check is already running).
   */
  check(): Promise<void> {
    if (this.pending !== null) return this.pending;
    this.pending = this.checkOnce().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async checkOnce(): Promise<void> {
    const s = await this.stamp();
    if (s === this.signature) return;
    try {
      // Resolving is cheap (aliases.json); a model is read only when the run changed.
      const { id, alias } = resolveRef(this.registry, this.ref);
      if (id !== this.model.run.id || alias !== this.model.alias) {
        // Read the model file asynchronously first (off the event loop, into the page cache), then
        // verify and build it; the swap is one assignment, so a request sees the old model or the new.
        const run = readRun(this.registry, id);
        await readFile(`${registryPaths(this.registry).run(id)}/${run.model.file}`).catch(() => undefined);
        const next = load(this.registry, this.ref);
        this.model = next;
        this.swaps++;
      }
      this.error = null;
    } catch (err) {
      // The old model keeps serving; retried on the next change of the watched file, not on every
      // poll, so a broken promotion cannot make the server re-read a large model file in a loop.
      this.error = { message: (err as Error)?.message ?? String(err), at: this.clock.now().toISOString() };
    }
    this.signature = s;
  }

  private async stamp(): Promise<string> {
    if (this.watched === null) return '';
    try {
      const s = await stat(this.watched);
      return `${s.ino}:${s.mtimeMs}:${s.ctimeMs}:${s.size}`;
    } catch {
      return 'missing';
    }
  }
}

function stampSync(path: string | null): string {
  if (path === null) return '';
  try {
    const s = statSync(path);
    return `${s.ino}:${s.mtimeMs}:${s.ctimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

function load(registry: string, ref: string): ServedModel {
  const m = loadRunModel(registry, ref);
  return { ...m, need: barsNeeded(m.run.features) };
}
