import { Rng } from '../../util/rng.js';
import { type BinnedData, type GrownTree, growTree, type GrowOptions, resolveGrowOptions } from './grow.js';
import { growTreeWasm } from './grow-wasm.js';

/** Everything a tree needs besides the data; plain data so it crosses to worker threads unchanged. */
export interface TreeSpec extends GrowOptions {
  bootstrap: boolean;
}

/**
 * Grow tree number `t` of a forest. Its stream is `new Rng(seed).fork(t)`, which depends on nothing
 * else, so the forest is the same whichever thread grows which tree, in whatever order.
 */
export function fitTreeAt(data: BinnedData, spec: TreeSpec, seed: number, t: number): GrownTree {
  const rng = new Rng(seed).fork(t);
  if (spec.engine !== 'js') {
    // the WebAssembly grower draws the same bootstrap from the same stream itself
    const g = growTreeWasm(data, spec.bootstrap ? 'bootstrap' : 'ones', resolveGrowOptions(data, spec), rng);
    if (g !== null) return g;
  }
  const w = new Float64Array(data.n);
  if (spec.bootstrap) {
    // n draws with replacement, kept as per-row counts instead of duplicated rows
    for (let i = 0; i < data.n; i++) {
      const r = rng.int(data.n);
      w[r] = (w[r] as number) + 1;
    }
  } else {
    w.fill(1);
  }
  return growTree(data, w, { ...spec, engine: 'js' }, rng);
}

/** The typed arrays of a grown tree, for a zero-copy transfer between threads. */
export function grownBuffers(g: GrownTree): ArrayBuffer[] {
  return [g.feature, g.bin, g.nanLeft, g.right, g.leafCounts, g.importance].map((a) => a.buffer as ArrayBuffer);
}
