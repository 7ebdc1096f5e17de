import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { stateToJson } from '../../../src/core/util/model-artifact.js';
import { defaultForestParams, fitForest, ForestModel, forestFromJSON, type ForestParams, resolveMaxFeatures } from '../../../src/core/models/forest.js';
import { Rng } from '../../../src/core/util/rng.js';
import { fixture } from '../../helpers.js';
import { rows, separable } from './tree/synth.js';

const N_TRAIN = 1200;
const N_TEST = 400;

function data(): { train: Float64Array[]; test: Float64Array[]; y: Uint8Array } {
  const { columns, y } = separable(N_TRAIN + N_TEST, 5, 21);
  return { train: rows(columns, 0, N_TRAIN), test: rows(columns, N_TRAIN, N_TRAIN + N_TEST), y };
}

function params(kind: 'rf' | 'et', over: Partial<ForestParams> = {}): ForestParams {
  return { ...defaultForestParams(kind), nTrees: 15, nJobs: 1, ...over };
}

async function fit(kind: 'rf' | 'et', over: Partial<ForestParams> = {}, seed = 42, nClasses = 3): Promise<ForestModel> {
  const d = data();
  return fitForest({ columns: d.train, n: N_TRAIN, y: d.y.subarray(0, N_TRAIN), nClasses }, params(kind, over), new Rng(seed), { workerMinRows: 0 });
}

function accuracy(m: ForestModel): number {
  const d = data();
  const p = m.predictProba(d.test, N_TEST);
  const C = m.nClasses;
  let ok = 0;
  for (let i = 0; i < N_TEST; i++) {
    let best = 0;
    for (let k = 1; k < C; k++) if ((p[i * C + k] as number) > (p[i * C + best] as number)) best = k;
    if (best === d.y[N_TRAIN + i]) ok++;
  }
  return ok / N_TEST;
}

describe('forest (rf / et)', () => {
  it('defaultForestParams follows scikit-learn: 100 trees, unlimited depth, sqrt features, bootstrap only for rf', () => {
    const rf = defaultForestParams('rf');
    expect(rf).to.include({ kind: 'rf', nTrees: 100, maxDepth: null, minSamplesLeaf: 1, minSamplesSplit: 2, maxFeatures: 'sqrt', bootstrap: true });
    expect(defaultForestParams('et').bootstrap).to.equal(false);
  });

  it('resolveMaxFeatures rounds like scikit-learn (sqrt(20) → 4, log2(20) → 4, 0.5 → 10, 1 → all, 3 → 3)', () => {
    expect([resolveMaxFeatures('sqrt', 20), resolveMaxFeatures('log2', 20), resolveMaxFeatures(0.5, 20), resolveMaxFeatures(1, 20), resolveMaxFeatures(3, 20)]).to.deep.equal([4, 4, 10, 20, 3]);
  });

  it('RandomForest learns a separable problem far above chance on held-out rows', async () => {
    // 3 classes: chance is about 1/3; the class is a threshold rule on two features plus noise features
    expect(accuracy(await fit('rf'))).to.be.greaterThan(0.85);
  });

  it('ExtraTrees also learns it, and grows different trees from RandomForest', async () => {
    const et = await fit('et');
    const rf = await fit('rf');
    expect(accuracy(et)).to.be.greaterThan(0.8);
    expect(stateToJson(et.toJSON().trees)).to.not.equal(stateToJson(rf.toJSON().trees));
  });

  it('the same seed gives a byte-identical model, another seed a different one', async () => {
    const a = stateToJson((await fit('rf')).toJSON());
    expect(stateToJson((await fit('rf')).toJSON())).to.equal(a);
    expect(stateToJson((await fit('rf', {}, 43)).toJSON())).to.not.equal(a);
  });

  it("defaults to nJobs 'auto' (free cores at fit time), stored as 'auto' so model.json does not depend on the machine's load", async () => {
    expect(defaultForestParams('rf').nJobs).to.equal('auto');
    const auto = (await fit('rf', { nJobs: 'auto' })).toJSON();
    expect((auto['params'] as { nJobs: unknown }).nJobs).to.equal('auto');
    const one = (await fit('rf', { nJobs: 1 })).toJSON();
    expect(stateToJson(auto['trees'])).to.equal(stateToJson(one['trees']));
    const back = ForestModel.fromJSON(JSON.parse(stateToJson(auto)));
    expect(back.params.nJobs).to.equal('auto');
  });

  it('growing trees in 2 worker threads gives the identical model as 1 thread', async () => {
    for (const kind of ['rf', 'et'] as const) {
      const one = stateToJson((await fit(kind, { nJobs: 1 })).toJSON().trees);
      const two = stateToJson((await fit(kind, { nJobs: 2 })).toJSON().trees);
      expect(two).to.equal(one);
    }
  });

  it('save → load gives identical probabilities, and rows sum to 1', async () => {
    const m = await fit('rf');
    const d = data();
    const loaded = ForestModel.fromJSON(JSON.parse(stateToJson(m.toJSON())));
    const p = m.predictProba(d.test, N_TEST);
    expect(Array.from(loaded.predictProba(d.test, N_TEST))).to.deep.equal(Array.from(p));
    for (let i = 0; i < N_TEST; i++) expect((p[3 * i] as number) + (p[3 * i + 1] as number) + (p[3 * i + 2] as number)).to.be.closeTo(1, 1e-12);
  });

  it('classes absent from training get probability 0', async () => {
    const m = await fit('et', {}, 42, 5); // labels use 0..2 only
    const p = m.predictProba(data().test, N_TEST);
    for (let i = 0; i < N_TEST; i++) expect([p[5 * i + 3], p[5 * i + 4]]).to.deep.equal([0, 0]);
  });

  it('featureImportances sum to 1 and rank the two informative features first', async () => {
    const imp = (await fit('rf')).featureImportances();
    expect(imp.reduce((s, v) => s + v, 0)).to.be.closeTo(1, 1e-12);
    const order = Array.from(imp.keys()).sort((a, b) => (imp[b] as number) - (imp[a] as number));
    expect(order.slice(0, 2).sort()).to.deep.equal([0, 1]);
  });

  it('respects maxDepth for every tree', async () => {
    const m = await fit('rf', { maxDepth: 2 });
    // a depth-2 binary tree has at most 7 nodes
    for (const t of m.trees) expect(t.nNodes).to.be.at.most(7);
  });

  it('fitForest rejects bad parameters with a UsageError naming them', async () => {
    for (const [over, msg] of [[{ nTrees: 0 }, /nTrees/], [{ minSamplesLeaf: 0 }, /minSamplesLeaf/], [{ maxFeatures: 'all' }, /maxFeatures/], [{ maxBins: 300 }, /maxBins/]] as const) {
      let err: unknown;
      await fit('rf', over as Partial<ForestParams>).catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(UsageError);
      expect((err as Error).message).to.match(msg);
    }
  });

  it('predictProba rejects a different number of feature columns with a DataError', async () => {
    const m = await fit('rf', { nTrees: 2 });
    expect(() => m.predictProba(data().test.slice(0, 4), N_TEST)).to.throw(DataError, /5 feature columns/);
  });

  it('reads a stored version-1 model and predicts the hand-computed averages', () => {
    // tree 1: x <= 0.5 → leaf counts [3, 1] (p = 0.75, 0.25), else [0, 2]; NaN goes right ("0").
    // tree 2: a single leaf [1, 1]. Averages: x = 0 → [0.625, 0.375]; x = 1 or NaN → [0.25, 0.75].
    const m = forestFromJSON(JSON.parse(readFileSync(fixture('trees', 'forest-v1.json'), 'utf8')));
    const p = m.predictProba([Float64Array.from([0, 1, NaN, 0.5])], 4);
    const expected = [0.625, 0.375, 0.25, 0.75, 0.25, 0.75, 0.625, 0.375];
    for (let i = 0; i < expected.length; i++) expect(p[i]).to.be.closeTo(expected[i] as number, 1e-12);
  });

  describe('loading a corrupted state', () => {
    let state: Record<string, unknown>;
    before(async () => {
      state = (await fit('rf', { nTrees: 3, maxDepth: 4 })).toJSON() as Record<string, unknown>;
    });
    const mutate = (fn: (s: any) => void): unknown => {
      const s = JSON.parse(stateToJson(state));
      fn(s);
      return s;
    };
    const cases: [string, (s: any) => void, RegExp][] = [
      ['a tree array of the wrong length', (s) => s.trees[0].bin.pop(), /trees\[0\]\.bin must have/],
      ['a right child out of range', (s) => (s.trees[1].right[0] = 10_000), /trees\[1\]\.right\[0\]/],
      ['a cycle back to the root', (s) => (s.trees[0].right[0] = 0), /trees\[0\]\.right\[0\]/],
      ['a non-finite leaf count', (s) => (s.trees[2].leafCounts[0] = null), /trees\[2\]\.leafCounts\[0\] must be a finite number/],
      ['a leaf count array of the wrong length', (s) => s.trees[2].leafCounts.push(1), /trees\[2\]\.leafCounts must have/],
      ['a feature index out of range', (s) => (s.trees[0].feature[0] = 99), /trees\[0\]\.feature\[0\]/],
      ['a bin past the feature edges', (s) => (s.trees[0].bin[0] = 255), /trees\[0\]\.bin\[0\]/],
      ['edges that do not increase', (s) => (s.edges[0] = [2, 1]), /edges\[0\] must increase/],
      ['a bad nanLeft string (the older JSON form)', (s) => (s.trees[0].nanLeft = 'x'), /trees\[0\]\.nanLeft/],
      ['a nanLeft entry other than 0/1', (s) => (s.trees[0].nanLeft[0] = 2), /trees\[0\]\.nanLeft\[0\] must be 0 or 1/],
      ['an unknown version', (s) => (s.version = 2), /version/],
      ['an empty forest', (s) => (s.trees = []), /trees must not be empty/],
    ];
    for (const [what, fn, msg] of cases) {
      it(`rejects ${what} with a DataError naming the field`, () => {
        expect(() => forestFromJSON(mutate(fn))).to.throw(DataError, msg);
      });
    }

    it('accepts the untouched state', () => {
      expect(forestFromJSON(JSON.parse(stateToJson(state))).trees).to.have.length(3);
    });
  });
});
