import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { cores } from '../util/threads.js';
import { errorFromData, type ErrorData } from './errors.js';
import { batchWeight, unitWeight, type Executor, type Unit, type UnitProgress } from './types.js';

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorData };
interface Task {
  id: number;
  kind: string;
  params: unknown;
  label: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * `n` worker threads, started on first use, each running units from the whitelist (`core/units`)
 * on its own memo. Tasks go to whichever thread is idle. A thread that dies fails its task and is
 * replaced for the next one.
 */
export class ThreadPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly running = new Map<Worker, Task>();
  private readonly pending: Task[] = [];
  private nextId = 0;
  private closed = false;
  /** Each thread's learners get their share of the cores (forest trees), at least one. */
  private readonly budget: number;

  constructor(readonly size: number, private readonly registry = './runs') {
    if (!Number.isInteger(size) || size < 1) throw new UsageError(`--threads must be a whole number ≥ 1, got ${size}`);
    this.budget = Math.max(1, Math.floor(cores() / size));
  }

  submit(kind: string, params: unknown, label: string): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('thread pool is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ id: this.nextId++, kind, params, label, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    const w = new Worker(new URL('./thread-entry.js', import.meta.url), { workerData: { budget: this.budget, registry: this.registry } });
    this.all.add(w);
    w.on('message', (r: Reply) => {
      const t = this.running.get(w);
      if (t === undefined || t.id !== r.id) return;
      this.running.delete(w);
      w.unref();
      this.idle.push(w);
      if (r.ok) t.resolve(r.result);
      else t.reject(errorFromData(r.error, `worker thread, ${t.label}`));
      this.pump();
    });
    const lost = (why: string): void => {
      this.all.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      const t = this.running.get(w);
      this.running.delete(w);
      if (t !== undefined) t.reject(new Error(`a worker thread ${why} while running ${t.label}`));
      this.pump();
    };
    w.on('error', (e) => lost(`failed (${e.message})`));
    w.on('exit', (code) => lost(`exited with code ${code}`));
    return w;
  }

  private pump(): void {
    while (!this.closed && this.pending.length > 0) {
      let w = this.idle.pop();
      if (w === undefined) {
        if (this.all.size >= this.size) return;
        w = this.spawn();
      }
      const t = this.pending.shift() as Task;
      this.running.set(w, t);
      w.ref();
      w.postMessage({ id: t.id, kind: t.kind, params: t.params });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.pending.splice(0)) t.reject(new Error('thread pool closed'));
    const ws = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

/**
 * Unit indices by falling cost, ties (and units without a cost, counted as 0) in their given order:
 * the longest-processing-time-first rule, which keeps a pool's finish within 4/3 of the best
 * possible for independent units.
 */
export function costOrder(units: readonly Unit[]): number[] {
  return units.map((_, i) => i).sort((a, b) => ((units[b] as Unit).cost ?? 0) - ((units[a] as Unit).cost ?? 0) || a - b);
}

/**
 * Worker-thread backend of `--threads`: every unit of a batch is submitted to the pool at once,
 * costliest first; results are put back in unit order, so the outcome does not depend on which
 * thread finished first.
 */
export function threadExecutor(n: number, registry = './runs'): Executor {
  const pool = new ThreadPool(n, registry);
  return {
    kind: 'threads',
    width: n,
    cache: null,
    async run(units: Unit[], onDone?: UnitProgress): Promise<unknown[]> {
      let done = 0;
      const total = batchWeight(units);
      const out = new Array<Promise<unknown>>(units.length);
      // Longest first (units without a cost keep their order, after the costed ones of equal rank).
      for (const i of costOrder(units)) {
        const u = units[i] as Unit;
        out[i] = pool.submit(u.kind, u.params, u.label).then((r) => {
          done += unitWeight(u);
          onDone?.(done, total, u.label);
          return r;
        });
      }
      return Promise.all(out);
    },
    close: () => pool.close(),
  };
}
