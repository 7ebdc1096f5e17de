import type { Ohlcv } from '../src/core/data/types.js';
import { Rng } from '../src/core/util/rng.js';

const F = 20;

/**
 * A make_classification-like set: 5 informative features, 5 redundant (noisy linear mixes of them),
 * 10 pure noise; the class is the quintile of a noisy nonlinear score, so the 5 classes are balanced
 * and the Bayes rate is well below 1 (like real market labels, only less hopeless).
 */
export function synthetic(n: number, seed: number): { columns: Float64Array[]; y: Uint8Array } {
  const rng = new Rng(seed);
  const columns = Array.from({ length: F }, () => new Float64Array(n));
  const col = (f: number): Float64Array => columns[f] as Float64Array;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 5; f++) col(f)[i] = rng.normal();
    for (let f = 5; f < 10; f++) col(f)[i] = 0.6 * (col(f - 5)[i] as number) - 0.4 * (col((f - 4) % 5)[i] as number) + 0.3 * rng.normal();
    for (let f = 10; f < F; f++) col(f)[i] = rng.normal();
    const x = (f: number): number => col(f)[i] as number;
    s[i] = Math.sin(1.5 * x(0)) + x(1) * x(2) + 0.7 * x(3) - 0.5 * x(4) * x(4) + 0.5 * rng.normal();
  }
  const sorted = Float64Array.from(s).sort();
  const cuts = [1, 2, 3, 4].map((q) => sorted[Math.floor((q * n) / 5)] as number);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let k = 0;
    while (k < 4 && (s[i] as number) >= (cuts[k] as number)) k++;
    y[i] = k;
  }
  return { columns, y };
}

/**
 * Seeded geometric random walk of 5-minute bars with valid OHLC relations. `openGap` > 0 opens each
 * bar a little away from the last close (a gap that `--fill next-open` sees); `volume` draws integer
 * volumes (else every volume is 1).
 */
export function syntheticBars(n: number, seed: number, o: { openGap: number; volume: boolean }): Ohlcv {
  const rng = new Rng(seed);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n).fill(1);
  let c = 100;
  for (let i = 0; i < n; i++) {
    const op = o.openGap > 0 ? c * (1 + o.openGap * rng.normal()) : c;
    c = op * Math.exp(0.002 * rng.normal());
    open[i] = op;
    close[i] = c;
    high[i] = Math.max(op, c) * (1 + 0.001 * rng.next());
    low[i] = Math.min(op, c) * (1 - 0.001 * rng.next());
    if (o.volume) volume[i] = 1 + rng.int(100_000);
  }
  return { n, time: Float64Array.from({ length: n }, (_, i) => i * 300_000), open, high, low, close, volume };
}
