import { csvText, type Cell } from '../util/csv-write.js';
import { isoUtc } from '../data/index.js';
import { UsageError } from '../errors.js';
import { CLASS_SCORES, N_CLASSES } from '../labels/index.js';
import type { PredictionTable } from '../predict/index.js';
import { constantSchedule, type WeightSchedule, type WeightSnapshot } from './weights.js';

/** Which per-symbol value is scored (docs/wss.md). */
export type WssUse = 'action' | 'decision' | 'expected';

export interface WssOptions {
  /** `action`: score of the argmax class; `decision`: of the confidence-gated decision; `expected`: Σ p·score. */
  use: WssUse;
  /** Signal BUY when WSS ≥ buy (inclusive). Default +0.5. */
  buy: number;
  /** Signal SELL when WSS ≤ sell (inclusive). Default −0.5. */
  sell: number;
  /** Hours whose present weight share is below this are HOLD and flagged (0 disables). */
  minCoverage: number;
}

export const DEFAULT_WSS_OPTIONS: Readonly<WssOptions> = Object.freeze({ use: 'action', buy: 0.5, sell: -0.5, minCoverage: 0 });

/** Signal codes in `WssResult.signal`. */
export const SIGNAL_BUY = 1;
export const SIGNAL_HOLD = 0;
export const SIGNAL_SELL = -1;

export interface WssResult {
  n: number;
  /** Union of the weighted symbols' prediction times (epoch ms), ascending. */
  times: Float64Array;
  /** Start of the next bar: the next time in the union, or the earliest next time any symbol gives. */
  timeNext: Float64Array;
  /** Weighted mean score over the weighted symbols present at that time (NaN when their weights sum to 0). */
  wss: Float64Array;
  /** +1 BUY, 0 HOLD, −1 SELL. */
  signal: Int8Array;
  /** Σ weights of the symbols present / Σ all weights. */
  coverage: Float64Array;
  /** Weighted symbols with a prediction at that time. */
  nSymbols: Int32Array;
  /** 1 where coverage < minCoverage (the signal is then forced to HOLD). */
  lowCoverage: Uint8Array;
  /** How many times were flagged for low coverage. */
  flaggedLowCoverage: number;
  /** Hours before the first dated weights snapshot: no weights, WSS NaN, HOLD. */
  noSnapshot: number;
  /** Symbols with predictions but no weight in the snapshot of their hours (sorted): not in the score there. */
  unweighted: string[];
  /** Weighted symbols without any prediction in their snapshot's hours (sorted): their weight counts against coverage. */
  missingData: string[];
  /** Per weights snapshot: the hours it weighted and whom it left out. */
  snapshots: SnapshotUse[];
  /** Whether the weights were dated snapshots applied point in time. */
  pointInTime: boolean;
  /** Symbols that entered the score (sorted). */
  symbols: string[];
  options: WssOptions;
}

/**
 * Small tolerance on the thresholds so that a WSS that is +0.5 on paper but 0.49999999999999994 after
 * renormalising weights still counts as BUY (the thresholds are inclusive).
 */
const EDGE_EPS = 1e-12;

function checkOptions(o: WssOptions): void {
  if (o.use !== 'action' && o.use !== 'decision' && o.use !== 'expected') {
    throw new UsageError(`unknown WSS score "${String(o.use)}"`, { hint: 'use action, decision or expected' });
  }
  if (!(Number.isFinite(o.buy) && Number.isFinite(o.sell) && o.sell < o.buy)) {
    throw new UsageError(`WSS thresholds need sell < buy, got sell ${o.sell} and buy ${o.buy}`, { hint: 'e.g. --buy 0.5 --sell -0.5' });
  }
  if (!(o.minCoverage >= 0 && o.minCoverage <= 1)) {
    throw new UsageError(`--min-coverage must be between 0 and 1, got ${o.minCoverage}`, { hint: 'e.g. --min-coverage 0.8 (80 % of the index weight)' });
  }
}

/** Which weights snapshot scored which hours, and who it left out. */
export interface SnapshotUse {
  /** `YYYY-MM-DD`, or null for an undated single file. */
  date: string | null;
  source: string;
  /** Hours of the series this snapshot weighted. */
  hours: number;
  /** Symbols with predictions in those hours but no weight in this snapshot (sorted). */
  unweighted: string[];
  /** Symbols this snapshot weights that have no prediction in its hours (sorted). */
  missingData: string[];
}

/**
 * Weighted Sentiment Score per time (docs/wss.md): WSS_t = Σ score_i,t × w_i / Σ w_i over the
 * weighted symbols with a prediction at t. Rows are aligned on timestamps through a Map from time to
 * column, never on row numbers, so a symbol missing an hour simply drops out of that hour's
 * renormalisation. `weights` is one map for every hour, or a point-in-time schedule: each hour uses
 * the latest snapshot in force at it, and an hour before the first snapshot has no weights (WSS NaN,
 * coverage 0, HOLD, counted in `noSnapshot`). Weights may be on any positive scale.
 * @throws UsageError for bad options.
 */
export function computeWss(
  tables: ReadonlyMap<string, PredictionTable>,
  weights: ReadonlyMap<string, number> | WeightSchedule,
  opts: Partial<WssOptions> = {},
): WssResult {
  const o: WssOptions = { ...DEFAULT_WSS_OPTIONS, ...opts };
  checkOptions(o);
  const schedule = weights instanceof Map ? constantSchedule(weights, 'weights') : (weights as WeightSchedule);
  const snaps = schedule.snapshots;
  const totalW = snaps.map((sn) => {
    let t = 0;
    for (const w of sn.weights.values()) t += w;
    return t;
  });
  const weightedAnywhere = new Set<string>();
  for (const sn of snaps) for (const sym of sn.weights.keys()) weightedAnywhere.add(sym);

  const neverWeighted: string[] = [];
  const used: [string, PredictionTable][] = [];
  for (const [sym, table] of tables) {
    if (table.n === 0) continue;
    if (weightedAnywhere.has(sym)) used.push([sym, table]);
    else neverWeighted.push(sym);
  }
  used.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  // Union of times, then time → column.
  let total = 0;
  for (const [, t] of used) total += t.n;
  const all = new Float64Array(total);
  let k = 0;
  for (const [, t] of used) {
    all.set(t.time.subarray(0, t.n), k);
    k += t.n;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < total; i++) if (n === 0 || all[i] !== all[n - 1]) all[n++] = all[i] as number;
  const times = all.slice(0, n);
  const col = new Map<number, number>();
  for (let j = 0; j < n; j++) col.set(times[j] as number, j);

  // Snapshot in force at each hour (times and snapshots are both ascending): −1 before the first.
  const snapAt = new Int32Array(n);
  const hoursOf = new Int32Array(snaps.length);
  let sIdx = -1;
  let noSnapshot = 0;
  for (let j = 0; j < n; j++) {
    while (sIdx + 1 < snaps.length && (snaps[sIdx + 1] as WeightSnapshot).from <= (times[j] as number)) sIdx++;
    snapAt[j] = sIdx;
    if (sIdx < 0) noSnapshot++;
    else hoursOf[sIdx] = (hoursOf[sIdx] as number) + 1;
  }
  const present = snaps.map(() => new Set<string>());
  const unweightedIn = snaps.map(() => new Set<string>());

  const sumW = new Float64Array(n);
  const sumSW = new Float64Array(n);
  const nSymbols = new Int32Array(n);
  const timeNext = new Float64Array(n).fill(Infinity);
  for (const [sym, t] of used) {
    for (let i = 0; i < t.n; i++) {
      const j = col.get(t.time[i] as number) as number;
      const tn = t.timeNext[i] as number;
      if (tn < (timeNext[j] as number)) timeNext[j] = tn;
      const si = snapAt[j] as number;
      if (si < 0) continue;
      const w = (snaps[si] as WeightSnapshot).weights.get(sym);
      if (w === undefined) {
        (unweightedIn[si] as Set<string>).add(sym);
        continue;
      }
      (present[si] as Set<string>).add(sym);
      let s: number;
      if (o.use === 'expected') {
        s = 0;
        for (let c = 0; c < N_CLASSES; c++) s += (t.proba[i * N_CLASSES + c] as number) * (CLASS_SCORES[c] as number);
      } else {
        s = CLASS_SCORES[(o.use === 'action' ? t.action[i] : t.decision[i]) as number] as number;
      }
      sumW[j] = (sumW[j] as number) + w;
      sumSW[j] = (sumSW[j] as number) + w * s;
      nSymbols[j] = (nSymbols[j] as number) + 1;
    }
  }

  const wss = new Float64Array(n);
  const coverage = new Float64Array(n);
  const signal = new Int8Array(n);
  const lowCoverage = new Uint8Array(n);
  let flagged = 0;
  for (let j = 0; j < n; j++) {
    // A symbol lacking the next hour would otherwise point timestamp_next past it.
    const next = times[j + 1];
    if (next !== undefined && next < (timeNext[j] as number)) timeNext[j] = next;
    const sw = sumW[j] as number;
    const v = sw > 0 ? (sumSW[j] as number) / sw : Number.NaN;
    wss[j] = v;
    const si = snapAt[j] as number;
    const tw = si < 0 ? 0 : (totalW[si] as number);
    const cov = tw > 0 ? sw / tw : 0;
    coverage[j] = cov;
    if (si < 0) {
      signal[j] = SIGNAL_HOLD;
    } else if (cov < o.minCoverage) {
      lowCoverage[j] = 1;
      flagged++;
      signal[j] = SIGNAL_HOLD;
    } else if (v >= o.buy - EDGE_EPS) {
      signal[j] = SIGNAL_BUY;
    } else if (v <= o.sell + EDGE_EPS) {
      signal[j] = SIGNAL_SELL;
    } else {
      signal[j] = SIGNAL_HOLD;
    }
  }
  const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
  const snapshotUse: SnapshotUse[] = snaps.map((sn, si) => ({
    date: sn.date,
    source: sn.source,
    hours: hoursOf[si] as number,
    unweighted: sorted(unweightedIn[si] as Set<string>),
    missingData: hoursOf[si] === 0 ? [] : sorted([...sn.weights.keys()].filter((sym) => !(present[si] as Set<string>).has(sym))),
  }));
  const applied = snapshotUse.filter((u) => u.hours > 0);
  const union = (pick: (u: SnapshotUse) => string[], extra: string[] = []): string[] => sorted(new Set([...extra, ...applied.flatMap(pick)]));
  return {
    n,
    times,
    timeNext,
    wss,
    signal,
    coverage,
    nSymbols,
    lowCoverage,
    flaggedLowCoverage: flagged,
    noSnapshot,
    unweighted: union((u) => u.unweighted, neverWeighted),
    missingData: union((u) => u.missingData),
    snapshots: snapshotUse,
    pointInTime: schedule.pointInTime,
    symbols: sorted(new Set(applied.length === 0 ? [] : present.flatMap((p) => [...p]))),
    options: o,
  };
}

/** `BUY`, `SELL` or `HOLD` for a signal code. */
export function signalName(s: number): 'BUY' | 'SELL' | 'HOLD' {
  return s > 0 ? 'BUY' : s < 0 ? 'SELL' : 'HOLD';
}

const iso = (ms: number): string => (Number.isFinite(ms) ? isoUtc(ms) : '');

export const WSS_COLUMNS = ['timestamp', 'timestamp_next', 'wss', 'signal', 'coverage', 'n_symbols'] as const;

/**
 * The `wss.csv` table of docs/wss.md: timestamp, timestamp_next (ISO UTC, as in prediction tables),
 * wss and coverage exactly (empty when undefined), signal BUY/SELL/HOLD, n_symbols.
 */
export function wssCsv(r: WssResult): string {
  const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
  const rows: Cell[][] = [];
  for (let j = 0; j < r.n; j++) {
    rows.push([iso(r.times[j] as number), iso(r.timeNext[j] as number), num(r.wss[j] as number), signalName(r.signal[j] as number), num(r.coverage[j] as number), r.nSymbols[j] as number]);
  }
  return csvText(WSS_COLUMNS, rows);
}
