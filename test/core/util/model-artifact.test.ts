import { expect } from 'chai';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../../src/core/errors.js';
import { defaultForestParams, fitForest, forestFromJSON } from '../../../src/core/models/forest.js';
import { writeFileAtomic } from '../../../src/core/util/fs-atomic.js';
import { decodeModelState, encodeModelState, stateToJson, type ModelArtifact } from '../../../src/core/util/model-artifact.js';
import { Rng } from '../../../src/core/util/rng.js';
import { cleanup, tempDir } from '../../helpers.js';
import { blobs } from '../../fixtures/models/blobs.js';

/** Save an artifact as model.json (+ model.bin) in `dir`, the way the registry does. */
function save(dir: string, a: ModelArtifact): void {
  if (a.binary !== null) writeFileAtomic(join(dir, a.binary.file), a.binary.parts);
  writeFileAtomic(join(dir, 'model.json'), a.json);
}

function load(dir: string): unknown {
  return decodeModelState(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), (f) => join(dir, f), 'model.json');
}

describe('model artifacts (JSON header + typed binary)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  it('a state without typed arrays stays one JSON file, exactly JSON.stringify', () => {
    const state = { kind: 'majority', version: 1, prior: [0.2, 0.3, 0.5] };
    const a = encodeModelState(state);
    expect(a.binary).to.equal(null);
    expect(a.json).to.equal(JSON.stringify(state));
  });

  it('round-trips every typed array type exactly, with aligned little-endian blobs and a small header', () => {
    const state = {
      kind: 'x',
      nested: [{ a: Float64Array.from([0.1, -0, Number.MAX_VALUE, 5e-324]), b: Uint8Array.from([1, 2, 3]) }],
      c: Int32Array.from([-1, 2 ** 31 - 1]),
      d: Float32Array.from([1.5, -2.25]),
      e: Uint16Array.from([65535]),
      empty: new Float64Array(0),
    };
    const a = encodeModelState(state);
    save(dir, a);
    const bin = readFileSync(join(dir, 'model.bin'));
    expect(bin.length).to.equal(a.binary?.bytes);
    expect([...bin.subarray(0, 6)].map((b) => String.fromCharCode(b)).join('')).to.equal('mm-bin');
    const header = JSON.parse(a.json) as { $binary: { format: number }; state: { c: { $blob: { type: string; offset: number; length: number } } } };
    expect(header.$binary.format).to.equal(1);
    const c = header.state.c.$blob;
    expect(c).to.include({ type: 'i32', length: 2 });
    expect(c.offset % 8).to.equal(0);
    expect(bin.readInt32LE(c.offset)).to.equal(-1); // little-endian on disk
    const back = load(dir) as typeof state;
    expect(back.kind).to.equal('x');
    expect(back.nested[0]?.a).to.be.instanceOf(Float64Array);
    expect([...(back.nested[0]?.a ?? [])].every((v, i) => Object.is(v, state.nested[0]?.a[i]))).to.equal(true);
    expect([...back.nested[0]!.b]).to.deep.equal([1, 2, 3]);
    expect([...back.c]).to.deep.equal([-1, 2 ** 31 - 1]);
    expect([...back.d]).to.deep.equal([1.5, -2.25]);
    expect([...back.e]).to.deep.equal([65535]);
    expect(back.empty).to.be.instanceOf(Float64Array);
    expect(back.empty.length).to.equal(0);
    // Deterministic: the same state encodes to the same bytes.
    const again = encodeModelState(state);
    expect(again.json).to.equal(a.json);
    expect(Buffer.concat(again.binary!.parts).equals(bin)).to.equal(true);
  });

  describe('refuses a damaged artifact with a DataError (never a crash, never a partial model)', () => {
    const state = (): unknown => ({ kind: 'x', a: Float64Array.from({ length: 100 }, (_, i) => i / 3), b: Int32Array.from([1, 2, 3]) });
    const cases: [string, (d: string) => void, RegExp][] = [
      ['a flipped byte in the binary file', (d) => {
        const p = join(d, 'model.bin');
        const b = readFileSync(p);
        b[40] = (b[40] as number) ^ 1;
        writeFileSync(p, b);
      }, /sha256 differs/],
      ['a truncated binary file', (d) => {
        const p = join(d, 'model.bin');
        writeFileSync(p, readFileSync(p).subarray(0, 100));
      }, /has 100 bytes, the model header says/],
      ['a missing binary file', (d) => cleanup(join(d, 'model.bin')), /is missing/],
      ['a blob reaching past the file', (d) => {
        const p = join(d, 'model.json');
        const h = JSON.parse(readFileSync(p, 'utf8')) as { state: { b: { $blob: { length: number } } } };
        h.state.b.$blob.length = 1e9;
        writeFileSync(p, JSON.stringify(h));
      }, /runs past/],
      ['overlapping blobs', (d) => {
        const p = join(d, 'model.json');
        const h = JSON.parse(readFileSync(p, 'utf8')) as { state: { a: { $blob: { offset: number } }; b: { $blob: { offset: number } } } };
        h.state.b.$blob.offset = h.state.a.$blob.offset;
        writeFileSync(p, JSON.stringify(h));
      }, /overlaps/],
      ['an unknown blob type', (d) => {
        const p = join(d, 'model.json');
        const h = JSON.parse(readFileSync(p, 'utf8')) as { state: { b: { $blob: { type: string } } } };
        h.state.b.$blob.type = 'function';
        writeFileSync(p, JSON.stringify(h));
      }, /blob type "function"/],
      ['a binary file named outside the run', (d) => {
        const p = join(d, 'model.json');
        const h = JSON.parse(readFileSync(p, 'utf8')) as { $binary: { file: string } };
        h.$binary.file = '../run.json';
        writeFileSync(p, JSON.stringify(h));
      }, /plain file name/],
      ['a newer format', (d) => {
        const p = join(d, 'model.json');
        const h = JSON.parse(readFileSync(p, 'utf8')) as { $binary: { format: number } };
        h.$binary.format = 2;
        writeFileSync(p, JSON.stringify(h));
      }, /format 2 is not supported/],
    ];
    for (const [what, damage, msg] of cases) {
      it(what, () => {
        save(dir, encodeModelState(state()));
        damage(dir);
        expect(() => load(dir)).to.throw(DataError, msg);
      });
    }
  });

  it('a fitted forest saves and loads through the artifact with identical probabilities (and from plain JSON too)', async () => {
    const train = blobs(600, 3, { nClasses: 3 });
    const m = await fitForest(train, { ...defaultForestParams('rf'), nTrees: 12, nJobs: 1 }, new Rng(9));
    const a = encodeModelState(m.toJSON());
    save(dir, a);
    expect(statSync(join(dir, 'model.json')).size).to.be.below(20_000); // the header: edges and blob references
    const back = forestFromJSON(load(dir));
    const test = blobs(200, 4, { nClasses: 3 });
    const p0 = m.predictProba(test.columns, test.n);
    expect([...back.predictProba(test.columns, test.n)]).to.deep.equal([...p0]);
    // The plain JSON form (older model.json files, models passed between processes) loads the same model.
    expect([...forestFromJSON(JSON.parse(stateToJson(m.toJSON()))).predictProba(test.columns, test.n)]).to.deep.equal([...p0]);
  });

  it('saves and loads a forest whose plain JSON would be larger than the V8 string limit (~512 MB)', function () {
    this.timeout(120_000);
    // Built directly (fitting one this big takes minutes): 12 trees of 1M nodes each, every split
    // node's left child a leaf, leaf counts with long decimal forms so the JSON text is large.
    const nTrees = 12;
    const nodes = 1_000_001; // odd: a chain of (nodes − 1) / 2 splits ends in two leaves
    const C = 5;
    const trees: { feature: Int32Array; bin: Uint8Array; right: Int32Array; nanLeft: Uint8Array; leafCounts: Float64Array }[] = [];
    let jsonChars = 0;
    const digits = (x: number): number => (x < 0 ? 1 + digits(-x) : x < 10 ? 1 : Math.floor(Math.log10(x)) + 1);
    const countChars = Array.from({ length: 13 }, (_, r) => String(1 + r / 7).length);
    for (let t = 0; t < nTrees; t++) {
      const feature = new Int32Array(nodes);
      const bin = new Uint8Array(nodes);
      const right = new Int32Array(nodes);
      const nanLeft = new Uint8Array(nodes);
      const leaves = (nodes + 1) / 2;
      const leafCounts = new Float64Array(leaves * C);
      // preorder: split at i (even), its left child i + 1 a leaf, its right child i + 2
      for (let i = 0; i < nodes; i++) {
        if (i % 2 === 0 && i + 2 < nodes) {
          right[i] = i + 2;
          nanLeft[i] = (i >> 1) & 1;
        } else feature[i] = -1;
      }
      // Characters of the plain JSON form: each number plus its comma (bin and nanLeft one digit each).
      for (let k = 0; k < leafCounts.length; k++) {
        const r = (k * 7 + t) % 13;
        leafCounts[k] = 1 + r / 7;
        jsonChars += (countChars[r] as number) + 1;
      }
      for (let i = 0; i < nodes; i++) jsonChars += digits(feature[i] as number) + 1 + digits(right[i] as number) + 1 + 2 + 2;
      trees.push({ feature, bin, right, nanLeft, leafCounts });
    }
    expect(jsonChars).to.be.above(2 ** 29); // V8's longest string is 2^29 − 24 characters
    const state = {
      kind: 'rf', version: 1, nClasses: C, nFeatures: 1, params: { ...defaultForestParams('rf'), nTrees },
      edges: [[0.5]], importances: [1], trees,
    };
    const a = encodeModelState(state);
    save(dir, a);
    expect(statSync(join(dir, 'model.json')).size).to.be.below(10_000);
    expect(statSync(join(dir, 'model.bin')).size).to.equal(a.binary?.bytes);
    const m = forestFromJSON(load(dir));
    expect(m.trees.length).to.equal(nTrees);
    expect(m.trees[0]?.nNodes).to.equal(nodes);
    // x = 0.2 ≤ 0.5 goes left at the root: leaf 0 of every tree; x = 0.9 walks the whole chain to the last leaf.
    const p = m.predictProba([Float64Array.from([0.2, 0.9])], 2);
    const expectRow = (leaf: number): number[] => {
      const acc = new Array<number>(C).fill(0);
      for (const tr of trees) {
        let s = 0;
        for (let k = 0; k < C; k++) s += tr.leafCounts[leaf * C + k] as number;
        for (let k = 0; k < C; k++) acc[k] = (acc[k] as number) + Math.fround((tr.leafCounts[leaf * C + k] as number) / s);
      }
      const tot = acc.reduce((x, y) => x + y, 0);
      return acc.map((v) => v / tot);
    };
    [...p.subarray(0, C)].forEach((v, k) => expect(v).to.be.closeTo(expectRow(0)[k] as number, 1e-12));
    [...p.subarray(C)].forEach((v, k) => expect(v).to.be.closeTo(expectRow((nodes + 1) / 2 - 1)[k] as number, 1e-12));
  });
});
