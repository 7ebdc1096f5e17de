import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFeatureSpec } from '../../../src/core/features/index.js';
import { makeLabelSpec } from '../../../src/core/labels/index.js';
import { readRun, readRunModel } from '../../../src/core/registry/index.js';
import { trainModel } from '../../../src/core/train/index.js';
import { fixedClock } from '../../../src/core/util/clock.js';
import { Rng } from '../../../src/core/util/rng.js';
import { cleanup, fixture, tempDir } from '../../helpers.js';

const clock = fixedClock('2026-01-02T03:04:05Z');

async function train(path: string, registry: string, calibrate: string, kind: 'logreg' | 'rf' = 'logreg'): Promise<Awaited<ReturnType<typeof trainModel>>> {
  return trainModel(
    {
      path, registry, features: defaultFeatureSpec(20), labels: makeLabelSpec({}),
      model: { kind, params: { calibrate, ...(kind === 'rf' ? { nTrees: 10, nJobs: 1 } : {}) } },
      testFraction: 0.3, seed: 1, command: 'test', mmVersion: '0.0.0-test',
    },
    { clock },
  );
}

/** The CSV with every bar from line index `from` (0 = first bar) on scaled by a random factor (OHLC together, so it stays valid). */
function perturbFrom(src: string, dst: string, from: number, seed: number): void {
  const lines = readFileSync(src, 'utf8').trimEnd().split('\n');
  const rng = new Rng(seed);
  const out = lines.map((l, i) => {
    if (i === 0 || i - 1 < from) return l;
    const [ts, ...v] = l.split(',');
    const f = 0.97 + 0.06 * rng.next();
    const ohlc = v.slice(0, 4).map((x) => (Number(x) * f).toFixed(4));
    return [ts, ...ohlc, String(Math.round(Number(v[4]) * (0.5 + rng.next())))].join(',');
  });
  writeFileSync(dst, `${out.join('\n')}\n`);
}

describe('calibration sees training rows only', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = tempDir();
  });
  after(() => cleanup(dir));

  it('changing the test rows never changes the calibrators (5 random rewrites), changing training rows does', async () => {
    const src = fixture('cli', 'NVDA_train.csv');
    const base = await train(src, join(dir, 'r0'), 'sigmoid');
    const cals = (reg: string, id: string): string => JSON.stringify((readRunModel(reg, readRun(reg, id)) as { calibrators: unknown }).calibrators);
    const want = cals(join(dir, 'r0'), base.runId);
    const testStart = base.split.test.start;
    for (let s = 1; s <= 5; s++) {
      const p = join(dir, `test-changed-${s}.csv`);
      perturbFrom(src, p, testStart, s);
      const reg = join(dir, `r${s}`);
      const r = await train(p, reg, 'sigmoid');
      expect(r.split.test.start).to.equal(testStart);
      // The test rows did change (their score moved), the calibrators did not.
      expect(r.metrics.model.logLoss).to.not.equal(base.metrics.model.logLoss);
      expect(cals(reg, r.runId)).to.equal(want);
    }
    // Control: the same rewrite starting inside the training rows moves the calibrators.
    const p = join(dir, 'train-changed.csv');
    perturbFrom(src, p, Math.floor(testStart / 2), 1);
    const r = await train(p, join(dir, 'rt'), 'sigmoid');
    expect(cals(join(dir, 'rt'), r.runId)).to.not.equal(want);
  });

  it('records the calibration (inner folds and test rows, before and after, reliability bins) in run.json and in the result', async () => {
    const reg = join(dir, 'rec');
    const r = await train(fixture('cli', 'NVDA_train.csv'), reg, 'isotonic', 'rf');
    const c = r.calibration;
    expect(c).to.not.equal(null);
    expect(c?.method).to.equal('isotonic');
    expect(c?.test?.after.rows).to.equal(r.split.testRows);
    // The calibrated side is what the metrics score.
    expect(c?.test?.after.logLoss).to.equal(r.metrics.model.logLoss);
    expect(c?.test?.before.bins).to.have.length(10);
    expect(c?.inner.before.rows).to.be.above(0).and.below(r.split.trainRows);
    expect(readRun(reg, r.runId).calibration).to.deep.equal(JSON.parse(JSON.stringify(c)));
    const none = await train(fixture('cli', 'NVDA_train.csv'), reg, 'none', 'rf');
    expect(none.calibration).to.equal(null);
    expect(readRun(reg, none.runId).calibration).to.equal(undefined);
  });
});
